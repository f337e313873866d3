package matrix

import "zhaoshang/modules/core"

// CatalogID is the _id of the single Catalog document.
const CatalogID = "catalog"

// DefaultCatalog is the vocabulary shipped with the product; admins edit it.
func DefaultCatalog() *Catalog {
	ind := func(group string, names ...string) []Industry {
		out := make([]Industry, len(names))
		for i, n := range names {
			out[i] = Industry{Name: n, Group: group}
		}
		return out
	}
	var industries []Industry
	industries = append(industries, ind("2", "电子信息", "装备制造")...)
	industries = append(industries, ind("6", "新显示", "新智造", "新医疗", "新能源", "新材料", "新数字")...)
	industries = append(industries, ind("X", "元宇宙", "先进计算", "生命健康", "智能网联汽车", "小核酸及生物医药")...)
	return &Catalog{
		Meta:       core.Meta{ID: CatalogID},
		Industries: industries,
		Zones: []string{"昆山开发区", "昆山高新区", "花桥经济开发区", "旅游度假区", "周市镇", "陆家镇", "张浦镇",
			"千灯镇", "淀山湖镇", "巴城镇", "周庄镇", "锦溪镇"},
		TalentLevels: []string{"国家级", "省双创", "姑苏领军", "昆山双创", "其他"},
		EventTypes:   []string{"论坛", "沙龙", "路演", "培训", "专场对接会", "推介会"},
		ActionLines: []string{"一个产业链招商图谱", "一批重点招商资源库", "一套科技招商政策包", "一支专业招商队伍",
			"一批招商联络站", "一系列品牌招商活动", "一个数字化招商平台"},
		StaleDays:  30,
		StageWords: DefaultStageWords(),
	}
}

// DefaultStageWords are the 阶段 cell words shipped with the product: the
// stage labels and what field staff commonly write instead.
func DefaultStageWords() []StageWord {
	var out []StageWord
	add := func(stage string, words ...string) {
		for _, w := range words {
			out = append(out, StageWord{Word: w, Stage: stage})
		}
	}
	// The stages' own labels (资源招引 …) and keys are always accepted and
	// need no line here.
	add("search", "搜索")
	add("push", "推送")
	add("attract", "招引", "在谈", "洽谈中", "洽谈", "接洽")
	add("decision", "评估", "评审")
	add("process", "已签约", "签约", "落地", "已落地", "已投产", "投产")
	add("aftercare", "后道", "服务")
	add("dropped", "已终止")
	return out
}

// DefaultUnits is a sensible editable "2+4+5" matrix: two lead bodies, four
// city-level platforms, five area teams (the last with town teams below it).
func DefaultUnits() []*Unit {
	u := func(id, name, short string, layer Layer, typ, parent, zone string, order int, focus ...string) *Unit {
		return &Unit{Meta: core.Meta{ID: id}, Name: name, Short: short, Layer: layer, Type: typ, Parent: parent,
			Zone: zone, Order: order, Focus: focus}
	}
	return []*Unit{
		u("kjj", "昆山市科学技术局", "科技局", "2", "lead", "", "", 1),
		u("kcfw", "昆山市科创发展服务中心", "科创中心", "2", "lead", "kjj", "", 2),
		u("gyy", "昆山工业技术研究院", "工研院", "4", "platform", "kcfw", "昆山高新区", 3, "装备制造", "新智造", "新材料"),
		u("jszy", "昆山市技术转移中心", "技术转移中心", "4", "platform", "kcfw", "", 4, "新医疗", "生命健康", "小核酸及生物医药"),
		u("kjjr", "昆山市科技金融服务中心", "科技金融中心", "4", "platform", "kcfw", "", 5, "新数字", "先进计算"),
		u("gjhz", "昆山市国际科技合作中心", "国际合作中心", "4", "station", "kcfw", "花桥经济开发区", 6, "新显示", "元宇宙"),
		u("kfq", "昆山开发区科技招商分队", "开发区分队", "5", "zone", "kjj", "昆山开发区", 7, "电子信息", "新显示"),
		u("gxq", "昆山高新区科技招商分队", "高新区分队", "5", "zone", "kjj", "昆山高新区", 8, "装备制造", "小核酸及生物医药"),
		u("hq", "花桥经济开发区科技招商分队", "花桥分队", "5", "zone", "kjj", "花桥经济开发区", 9, "新数字", "元宇宙"),
		u("lydj", "旅游度假区科技招商分队", "度假区分队", "5", "zone", "kjj", "旅游度假区", 10, "生命健康"),
		u("zzfd", "镇域科技招商联合分队", "镇域分队", "5", "zone", "kjj", "", 11, "新能源", "新材料", "智能网联汽车"),
		u("zs-zs", "周市镇科技招商组", "周市", "5", "zone", "zzfd", "周市镇", 12, "新材料"),
		u("zs-lj", "陆家镇科技招商组", "陆家", "5", "zone", "zzfd", "陆家镇", 13, "智能网联汽车"),
		u("zs-zp", "张浦镇科技招商组", "张浦", "5", "zone", "zzfd", "张浦镇", 14, "新能源"),
		u("zs-qd", "千灯镇科技招商组", "千灯", "5", "zone", "zzfd", "千灯镇", 15, "新材料"),
		u("zs-dsh", "淀山湖镇科技招商组", "淀山湖", "5", "zone", "zzfd", "淀山湖镇", 16, "装备制造"),
		u("zs-bc", "巴城镇科技招商组", "巴城", "5", "zone", "zzfd", "巴城镇", 17, "新智造"),
		u("zs-zz", "周庄镇科技招商组", "周庄", "5", "zone", "zzfd", "周庄镇", 18, "生命健康"),
		u("zs-jx", "锦溪镇科技招商组", "锦溪", "5", "zone", "zzfd", "锦溪镇", 19, "新能源"),
	}
}
