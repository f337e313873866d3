package server

import (
	"context"

	"zhaoshang/importers/export"
	"zhaoshang/importers/header"
	"zhaoshang/modules/events"
	"zhaoshang/modules/matrix"
	"zhaoshang/modules/policies"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/resources"
	"zhaoshang/templates"
)

// ImportVocab returns the allowed values of every enumeration an import
// field names (header.Choice*), as the importer accepts them: Chinese
// labels for keyed values (stages, project types, event statuses), catalog
// values for the configurable lists. Templates build their drop-downs from
// it.
func ImportVocab(ctx context.Context, m *matrix.Service) (export.Vocab, error) {
	cat, err := m.Catalog(ctx)
	if err != nil {
		return nil, err
	}
	labels := func(kind string, keys []string) []string {
		out := make([]string, len(keys))
		for i, k := range keys {
			out[i] = templates.Label(kind, k)
		}
		return out
	}
	return export.Vocab{
		header.ChoiceStage:         labels("stage", projects.Stages),
		header.ChoiceProjectType:   labels("ptype", projects.Types),
		header.ChoiceIndustry:      cat.List("industries"),
		header.ChoiceZone:          cat.Zones,
		header.ChoiceTalentLevel:   cat.TalentLevels,
		header.ChoiceEventType:     cat.EventTypes,
		header.ChoiceGender:        resources.Genders,
		header.ChoiceInstituteKind: resources.InstituteKinds,
		header.ChoiceInstituteLvl:  resources.InstituteLevels,
		header.ChoiceEventStatus:   labels("event_status", events.Statuses),
		header.ChoicePolicyLevel:   policies.Levels,
		header.ChoicePolicyStatus:  policies.Statuses,
		header.ChoiceMaturity:      resources.Maturities,
		header.ChoiceTransferMode:  resources.TransferModes,
		header.ChoiceResultStatus:  resources.ResultStatuses,
	}, nil
}
