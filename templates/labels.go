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
	"layer": {
		"2": "牵头主体（2）",
		"4": "市级平台（4）",
		"5": "区镇分队（5）",
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
