package header

// Field is one importable field: its key, Chinese label, the other names
// teams use for it, and for enumerations the vocabulary its values come from
// (templates turn that into a drop-down list).
type Field struct {
	Key      string
	Label    string
	Synonyms []string
	Required bool
	// Choices names the vocabulary of an enumeration: one of the Choice*
	// constants, "" for free values.
	Choices string
	// Hidden fields are written by exports (record id and version) and read
	// back by imports; templates leave them out.
	Hidden bool
	// Format is the 填写说明 line's format of a free-text field whose
	// cells have a shape of their own ("" says 文字).
	Format string
}

// Vocabularies of enumerated fields.
const (
	ChoiceStage         = "stage"
	ChoiceProjectType   = "project_type"
	ChoiceIndustry      = "industry"
	ChoiceZone          = "zone"
	ChoiceTalentLevel   = "talent_level"
	ChoiceEventType     = "event_type"
	ChoiceGender        = "gender"
	ChoiceInstituteKind = "institute_kind"
	ChoiceInstituteLvl  = "institute_level"
	ChoiceEventStatus   = "event_status"
	ChoicePolicyLevel   = "policy_level"
	ChoicePolicyStatus  = "policy_status"
	ChoiceMaturity      = "maturity"
	ChoiceTransferMode  = "transfer_mode"
	ChoiceResultStatus  = "result_status"
)

// Keys of the hidden columns an export adds so that an edited ledger
// re-imports onto the same records.
const (
	KeyID      = "_id"
	KeyVersion = "_version"
)

// hiddenFields are appended to every kind.
var hiddenFields = []Field{
	{Key: KeyID, Label: "记录ID", Synonyms: []string{"系统编号", "record id"}, Hidden: true},
	{Key: KeyVersion, Label: "记录版本", Synonyms: []string{"版本号", "record version"}, Hidden: true},
}

func withHidden(fs []Field) []Field { return append(fs, hiddenFields...) }

// kinds holds the field lists by import kind; Register adds one.
var kinds = map[string][]Field{}

// Register declares the fields of an import kind (hidden id/version fields
// are appended). Each module calls it for its ledger, at package init.
func Register(kind string, fields []Field) []Field {
	fs := withHidden(fields)
	kinds[kind] = fs
	return fs
}

// FieldsFor returns the fields of an import kind, or nil when unknown.
func FieldsFor(kind string) []Field { return kinds[kind] }

// Visible returns the fields a template or the mapping page shows.
func Visible(fs []Field) []Field {
	var out []Field
	for _, f := range fs {
		if !f.Hidden {
			out = append(out, f)
		}
	}
	return out
}
