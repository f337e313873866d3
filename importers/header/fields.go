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

// ProjectFields are the columns of a projects ledger.
var ProjectFields = withHidden([]Field{
	{Key: "name", Label: "项目名称", Synonyms: []string{"名称", "项目", "项目名"}, Required: true},
	{Key: "type", Label: "项目类型", Synonyms: []string{"类型", "类别", "项目类别"}, Choices: ChoiceProjectType},
	{Key: "enterprise", Label: "投资方", Synonyms: []string{"企业名称", "投资主体", "投资方名称", "投资企业", "企业", "公司名称", "投资单位"}},
	{Key: "credit_code", Label: "统一社会信用代码", Synonyms: []string{"信用代码", "社会信用代码", "统一代码"}},
	{Key: "contact_name", Label: "对接人", Synonyms: []string{"联系人", "对接人姓名", "联系人姓名", "企业联系人", "对接信息对接人", "联系方式联系人"}},
	{Key: "contact_phone", Label: "联系电话", Synonyms: []string{"手机", "电话", "手机号", "手机号码", "电话号码", "对接人电话", "联系人电话", "联系方式", "对接信息联系电话", "联系方式电话"}},
	{Key: "other_contacts", Label: "其他联系人", Synonyms: []string{"其他对接人", "更多联系人", "其他联系人及电话", "其他联系方式"},
		Format: "姓名 电话；姓名 电话（多人用“；”或换行分隔，电话可不填；手机 11 位，座机请带区号；留空表示没有其他联系人）"},
	{Key: "investment", Label: "总投资", Synonyms: []string{"投资额", "投资总额", "计划总投资", "总投资额", "项目总投资"}},
	{Key: "industry", Label: "所属行业", Synonyms: []string{"行业", "产业", "产业领域", "行业领域", "所属产业"}, Choices: ChoiceIndustry},
	{Key: "zone", Label: "所属区镇", Synonyms: []string{"区镇", "所在区镇", "属地", "所属区域", "区域"}, Choices: ChoiceZone},
	{Key: "stage", Label: "阶段", Synonyms: []string{"项目阶段", "进展", "项目进展", "进展情况", "推进情况", "状态", "项目状态"}, Choices: ChoiceStage},
	{Key: "reason", Label: "暂缓/终止原因", Synonyms: []string{"原因", "暂缓原因", "终止原因", "阶段说明"}},
	{Key: "signed_at", Label: "签约时间", Synonyms: []string{"签约日期", "签约时间节点"}},
	{Key: "unit", Label: "责任单位", Synonyms: []string{"招引单位", "牵头单位", "负责单位", "所属单位", "单位"}},
	{Key: "officer", Label: "负责人", Synonyms: []string{"招商负责人", "责任人", "经办人"}},
	{Key: "summary", Label: "项目简介", Synonyms: []string{"简介", "项目概况", "项目内容", "建设内容", "备注"}},
})

func withHidden(fs []Field) []Field { return append(fs, hiddenFields...) }

// kinds holds the field lists by import kind; Register adds one.
var kinds = map[string][]Field{"projects": ProjectFields}

// Register declares the fields of an import kind (hidden id/version fields
// are appended). It is called from package init of the kind adapters.
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
