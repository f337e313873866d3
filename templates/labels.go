package templates

import "strconv"

// labels is the one table of Chinese display labels, keyed by kind then by key.
// Go code outside this package reads it through Label; templates through the
// stageLabel, roleLabel and statusText funcs.
var labels = map[string]map[string]string{
	"stage": {
		"search":    "资源搜索",
		"push":      "资源推送",
		"attract":   "资源招引",
		"decision":  "评估决策",
		"process":   "过程管理",
		"aftercare": "后道服务",
		"paused":    "暂缓",
		"dropped":   "终止",
	},
	"role": {
		"admin":   "系统管理员",
		"manager": "管理者",
		"officer": "招商专员",
		"field":   "区镇填报员",
	},
	"ptype": {
		"talent":   "人才项目",
		"industry": "产业项目",
		"platform": "平台项目",
	},
	// 后道服务 (modules/aftercare) and 科技成果转移转化 (modules/transfers).
	"aftercare_type": {
		"policy":    "政策申报",
		"financing": "融资对接",
		"talent":    "人才安居/子女入学",
		"space":     "空间载体",
		"approval":  "审批代办",
		"problem":   "问题协调",
		"other":     "其他",
	},
	"aftercare_status": {
		"pending":     "待受理",
		"in_progress": "处理中",
		"resolved":    "已解决",
		"closed":      "已关闭",
	},
	"transfer_type": {
		"development": "技术开发",
		"transfer":    "技术转让",
		"license":     "技术许可",
		"consulting":  "技术咨询",
		"service":     "技术服务",
	},
	// events.Statuses
	"event_status": {
		"planned":   "筹备中",
		"held":      "已举办",
		"cancelled": "已取消",
	},
	// 资源库 (modules/resources): kind names, then each kind's field labels
	// (keys are the JSON/form field names), then the list sorts.
	"rkind": {
		"talents":     "人才",
		"enterprises": "企业",
		"institutes":  "院所平台",
		"results":     "科技成果",
	},
	"talents": {
		"name": "姓名", "gender": "性别", "level": "人才层次", "field": "研究方向", "industry": "产业领域",
		"institution": "工作单位", "title": "职称/职务", "phone": "联系电话", "email": "电子邮箱",
		"intended_zone": "意向区镇", "tags": "标签", "summary": "简介", "unit": "所属单位",
	},
	"enterprises": {
		"name": "企业名称", "credit_code": "统一社会信用代码", "industry": "产业领域", "zone": "所在区镇",
		"legal_person": "法定代表人", "registered_capital": "注册资本（万元）", "founded": "成立日期", "address": "地址",
		"contact": "联系人", "phone": "联系电话", "tags": "企业标签", "unit": "所属单位",
	},
	"institutes": {
		"name": "平台名称", "kind": "平台类别", "parent": "依托单位", "industry": "产业领域", "zone": "所在区镇",
		"level": "认定级别", "established": "成立日期", "summary": "简介", "unit": "所属单位",
	},
	"results": {
		"title": "成果名称", "owner": "成果持有方", "industry": "产业领域", "maturity": "成熟度", "patent_no": "专利号",
		"transfer_mode": "转化方式", "asking_price": "意向价格（万元）", "status": "转化状态", "deal_date": "成交日期",
		"deal_amount": "成交金额（万元）", "summary": "成果简介", "unit": "所属单位",
	},
	"rsort": {
		"-updated": "最近更新", "-created": "最近录入", "created": "最早录入",
		"-registered_capital": "注册资本从高到低", "registered_capital": "注册资本从低到高",
		"-founded": "成立日期从近到远", "founded": "成立日期从远到近",
		"-established": "成立日期从近到远", "established": "成立日期从远到近",
		"-asking_price": "意向价格从高到低", "asking_price": "意向价格从低到高",
		"-deal_amount": "成交金额从高到低", "-deal_date": "最近成交",
	},
	"layer": {
		"2": "牵头主体（2）",
		"4": "市级平台（4）",
		"5": "区镇分队（5）",
	},
	// 系统设置 (modules/matrix): unit types, catalog lists, industry groups,
	// and record kinds named when a unit cannot be deleted.
	"unittype": {
		"lead":     "牵头主体",
		"platform": "市级平台",
		"zone":     "区镇分队",
		"station":  "异地/海外工作站",
		"chain":    "产业链专班",
	},
	"catalog": {
		"industries":    "产业（2+6+X）",
		"zones":         "区镇",
		"talent_levels": "人才层次",
		"event_types":   "活动类型",
		"action_lines":  "“七个一”专项行动",
	},
	"indgroup": {
		"2": "“2”主导产业",
		"6": "“6”新兴产业",
		"X": "“X”未来产业",
	},
	// short KPI column heads (matrix.KPIs has the full names)
	"kpi_short": {
		"events":          "招商活动",
		"projects":        "新引进项目",
		"talents":         "双创人才",
		"institutes":      "大院大所",
		"transfers":       "成果转化",
		"brokers":         "技术经纪人",
		"contract_amount": "技术合同额",
	},
	// 驾驶舱 (modules/dashboard): progress against time elapsed, funnel breakdowns.
	"kpi_status": {
		"on_track":  "进度正常",
		"behind":    "进度滞后",
		"no_target": "未设目标",
	},
	"funnel_by": {
		"type":         "项目类型",
		"industry":     "产业",
		"zone":         "区镇",
		"unit":         "责任单位",
		"officer":      "负责人",
		"source_event": "来源活动",
	},
	"kind": {
		"units":       "下属单位",
		"users":       "用户",
		"projects":    "项目",
		"events":      "活动",
		"talents":     "人才",
		"enterprises": "企业",
		"institutes":  "院所平台",
		"results":     "科技成果",
		"policies":    "政策",
		"aftercare":   "后道服务",
		"transfers":   "转移转化",
		"brokers":     "技术经纪人",
	},
	// HTTP status shown on the error page when the handler gives no message.
	"status": {
		"400": "请求有误",
		"401": "请先登录",
		"403": "无权访问",
		"404": "页面不存在",
		"405": "不支持的请求方式",
		"409": "数据已被他人修改，请刷新后重试",
		"413": "文件过大",
		"422": "提交的内容无法处理",
		"429": "操作过于频繁，请稍后再试",
		"500": "服务器内部错误",
		"502": "上游服务无响应",
		"503": "服务暂不可用",
	},
}

// Stages lists the stage keys in pipeline order, side exits last.
var Stages = []string{"search", "push", "attract", "decision", "process", "aftercare", "paused", "dropped"}

// Label returns the Chinese label of key within kind ("stage", "role", "status"),
// or key itself when the table has none, so an unknown value stays visible.
func Label(kind, key string) string {
	if l, ok := labels[kind][key]; ok {
		return l
	}
	return key
}

func stageLabel(key string) string { return Label("stage", key) }

// stageClass returns the badge class for a known stage, "" for anything else,
// so a stray value cannot inject an arbitrary class name.
func stageClass(key string) string {
	if _, ok := labels["stage"][key]; ok {
		return "stage-" + key
	}
	return ""
}

func roleLabel(key string) string { return Label("role", key) }

func statusText(code int) string {
	if l, ok := labels["status"][strconv.Itoa(code)]; ok {
		return l
	}
	if code >= 500 {
		return labels["status"]["500"]
	}
	return "请求未能完成"
}
