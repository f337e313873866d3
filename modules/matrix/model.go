// Package matrix holds the "2+4+5" promotion units, the "七个一" action
// lines, the configurable vocabularies (industries, zones, levels, event
// types) and the yearly targets. All of it is data with editable defaults.
package matrix

import "zhaoshang/modules/core"

// Layer is one of the matrix layers "2", "4", "5".
type Layer string

// Unit is a promotion unit. A manager of a unit sees the unit's subtree.
type Unit struct {
	core.Meta `bson:",inline"`
	Name      string   `bson:"name" json:"name"`
	Short     string   `bson:"short,omitempty" json:"short,omitempty"`
	Layer     Layer    `bson:"layer" json:"layer"`
	Type      string   `bson:"type" json:"type"` // lead, platform, zone, station, chain
	Parent    string   `bson:"parent,omitempty" json:"parent,omitempty"`
	Zone      string   `bson:"zone,omitempty" json:"zone,omitempty"`
	Focus     []string `bson:"focus,omitempty" json:"focus,omitempty"` // industries the unit hunts for
	Order     int      `bson:"order" json:"order"`
}

// Layers are the matrix layers in display order.
var Layers = []Layer{"2", "4", "5"}

// UnitTypes are the unit type keys in display order; their Chinese labels
// live in templates/labels.go ("unittype").
var UnitTypes = []string{"lead", "platform", "zone", "station", "chain"}

// CityUnit is the path segment and id suffix of the city-wide targets; no
// unit may take this id.
const CityUnit = "city"

// Catalog is the configurable vocabulary, stored as one document.
type Catalog struct {
	core.Meta    `bson:",inline"`
	Industries   []Industry `bson:"industries" json:"industries"`
	Zones        []string   `bson:"zones" json:"zones"`
	TalentLevels []string   `bson:"talent_levels" json:"talent_levels"`
	EventTypes   []string   `bson:"event_types" json:"event_types"`
	ActionLines  []string   `bson:"action_lines" json:"action_lines"` // 七个一
	StaleDays    int        `bson:"stale_days" json:"stale_days"`
	// DisabledGates lists stage gate keys (projects.Gates) switched off.
	DisabledGates []string `bson:"disabled_gates,omitempty" json:"disabled_gates"`
	// StageWords are what field staff write in a 阶段 column (the importer);
	// a stored catalog without them uses the defaults (Service.Catalog).
	StageWords []StageWord `bson:"stage_words,omitempty" json:"stage_words"`
}

// StageWord is one word of a 阶段 cell and the stage key (projects.Stages)
// it means.
type StageWord struct {
	Word  string `bson:"word" json:"word"`
	Stage string `bson:"stage" json:"stage"`
}

// Industry is one entry of the "2+6+X" list.
type Industry struct {
	Name  string `bson:"name" json:"name"`
	Group string `bson:"group" json:"group"` // "2", "6", "X"
}

// Target is one unit's (or the city's, Unit "") yearly KPI targets.
type Target struct {
	core.Meta `bson:",inline"`
	Year      int                `bson:"year" json:"year"`
	Unit      string             `bson:"unit" json:"unit"`
	Values    map[string]float64 `bson:"values" json:"values"` // KPI key -> target
}

// KPIs are the plan's indicators in display order.
var KPIs = []struct{ Key, Label, Unit string }{
	{"events", "科技招商活动", "场"},
	{"projects", "新引进科技招商项目", "个"},
	{"talents", "双创人才(团队)", "个"},
	{"institutes", "大院大所创新平台", "家"},
	{"transfers", "科技成果转移转化", "项"},
	{"brokers", "技术经纪人", "名"},
	{"contract_amount", "技术合同成交额", "亿元"},
}

// PlanTargets are the 2025 targets of 昆科字〔2023〕53号 for the whole city.
var PlanTargets = map[string]float64{
	"events": 500, "projects": 3000, "talents": 1700, "institutes": 50,
	"transfers": 600, "brokers": 1000, "contract_amount": 400,
}
