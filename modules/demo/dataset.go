package demo

import (
	"fmt"
	"math"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/modules/events"
	"zhaoshang/modules/matrix"
	"zhaoshang/modules/policies"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/resources"
	"zhaoshang/modules/users"
)

// Password is the password of every demo user.
const Password = "Demo@2025"

// MaxScale bounds --scale: scale 100 is about 750,000 records.
const MaxScale = 100

// Counts at scale 1; scale N multiplies each.
const (
	baseProjects    = 3200
	baseEvents      = 520 // held or cancelled, 2023–2025
	basePlanned     = 13  // planned for early 2026
	baseTalents     = 1800
	baseEnterprises = 1200
	baseInstitutes  = 60
	baseResults     = 650
	basePolicies    = 40
)

// Dataset is the whole demo data set, generated without a database.
type Dataset struct {
	Scale       int
	Units       []*matrix.Unit
	Users       []User
	Targets     []*matrix.Target
	Events      []*events.Event
	Talents     []*resources.Talent
	Enterprises []*resources.Enterprise
	Institutes  []*resources.Institute
	Results     []*resources.TechResult
	Policies    []*policies.Policy
	Projects    []*projects.Project
}

// User is a demo account; every one has the password Password.
type User struct {
	Username string
	Name     string
	Role     string
	Units    []string
}

// staff are the users of one unit.
type staff struct {
	manager  string
	officers []string
}

// generator holds the cross-kind state while a Dataset is built.
type generator struct {
	d       *Dataset
	catalog *matrix.Catalog
	units   []*matrix.Unit
	unitW   []float64 // share of projects, talents, targets per unit
	staff   map[string]staff
	codes   map[string]bool // credit codes in use
	// companies are the company names in use (pool and new registrations).
	companies map[string]bool

	entShort  []string // brand+word of each enterprise, for project names
	entByInd  map[string][]int
	talByInd  map[string][]int
	instByInd map[string][]int
}

// Generate builds the demo data set for scale (≥ 1). It is pure and
// deterministic: the same scale gives the same records, ids and dates.
func Generate(scale int) (*Dataset, error) {
	if scale < 1 || scale > MaxScale {
		return nil, fmt.Errorf("demo: scale must be between 1 and %d, got %d", MaxScale, scale)
	}
	x := &generator{
		d:       &Dataset{Scale: scale},
		catalog: matrix.DefaultCatalog(),
		units:   matrix.DefaultUnits(),
		staff:   map[string]staff{},
		codes:   map[string]bool{},

		companies: map[string]bool{},
	}
	x.d.Units = x.units
	x.unitW = make([]float64, len(x.units))
	for i, u := range x.units {
		x.unitW[i] = unitWeight(u)
	}
	x.users()
	x.targets()
	x.talents(baseTalents * scale)
	x.enterprises(baseEnterprises * scale)
	x.institutes(baseInstitutes * scale)
	x.results(baseResults * scale)
	x.events(baseEvents*scale, basePlanned*scale)
	x.policies(basePolicies * scale)
	x.projects(baseProjects * scale)
	return x.d, nil
}

// unitWeight is a unit's share of the city's work: area teams carry most
// projects, the lead bodies few.
func unitWeight(u *matrix.Unit) float64 {
	switch {
	case u.Type == "lead":
		return 4
	case u.Type == "platform" || u.Type == "station":
		return 5
	case u.Type == "zone" && u.Zone == "":
		return 3
	case u.Type == "zone" && u.Parent != "" && u.Parent != "kjj":
		return 4.5 // town teams
	case u.Type == "zone":
		return 9
	default:
		return 3
	}
}

func (x *generator) unit(g gen) *matrix.Unit { return x.units[g.weighted(x.unitW)] }

func (x *generator) industries() []string {
	out := make([]string, len(x.catalog.Industries))
	for i, ind := range x.catalog.Industries {
		out[i] = ind.Name
	}
	return out
}

// industryFor picks an industry, often one the unit focuses on.
func (x *generator) industryFor(g gen, u *matrix.Unit) string {
	if len(u.Focus) > 0 && g.chance(0.55) {
		return g.pick(u.Focus)
	}
	return g.pick(x.industries())
}

// townZones are the zones of the town teams under a unit without a zone.
func (x *generator) townZones(parent string) []string {
	var out []string
	for _, u := range x.units {
		if u.Parent == parent && u.Zone != "" {
			out = append(out, u.Zone)
		}
	}
	return out
}

// zoneFor is where a unit's record lands: an area team's own zone, a
// random town for the town federation, anywhere (often the unit's seat) else.
func (x *generator) zoneFor(g gen, u *matrix.Unit) string {
	switch {
	case u.Type == "zone" && u.Zone != "":
		return u.Zone
	case u.Type == "zone":
		if towns := x.townZones(u.ID); len(towns) > 0 {
			return g.pick(towns)
		}
	case u.Zone != "" && g.chance(0.4):
		return u.Zone
	}
	return g.pick(x.catalog.Zones)
}

// users creates per unit one manager, 2–4 officers and, for area teams,
// one field user; user names are "<unit>_<surname pinyin>".
func (x *generator) users() {
	g := newGen(1)
	for _, u := range x.units {
		used := map[string]bool{}
		mk := func(role string) string {
			for {
				p := g.person()
				if used[p.Pinyin] {
					continue
				}
				used[p.Pinyin] = true
				name := u.ID + "_" + p.Pinyin
				x.d.Users = append(x.d.Users, User{Username: name, Name: p.Name, Role: role, Units: []string{u.ID}})
				return name
			}
		}
		st := staff{manager: mk(users.RoleManager)}
		for range g.between(2, 4) {
			st.officers = append(st.officers, mk(users.RoleOfficer))
		}
		if u.Type == "zone" {
			mk(users.RoleField)
		}
		x.staff[u.ID] = st
	}
}

// officer picks who owns a record of unit u.
func (x *generator) officer(g gen, u string) string {
	st := x.staff[u]
	if g.chance(0.06) {
		return st.manager
	}
	return g.pick(st.officers)
}

// yearShares split the plan's 2023–2025 targets over the three years.
var yearShares = []struct {
	Year  int
	Share float64
}{{2023, 0.30}, {2024, 0.33}, {2025, 0.37}}

// targets saves city-wide yearly targets (the plan's numbers split over the
// three years) and splits each year over the units by their weight, so that
// the years add up to the plan and the units to the city.
func (x *generator) targets() {
	shares := make([]float64, len(yearShares))
	for i, ys := range yearShares {
		shares[i] = ys.Share
	}
	var city, perUnit []*matrix.Target
	for _, ys := range yearShares {
		set := time.Date(ys.Year, 1, 5, 10, 0, 0, 0, core.Zone()).UTC() // targets are set in the first week
		city = append(city, &matrix.Target{Meta: meta(matrix.TargetID(ys.Year, ""), set, set), Year: ys.Year,
			Values: map[string]float64{}})
		for _, u := range x.units {
			perUnit = append(perUnit, &matrix.Target{Meta: meta(matrix.TargetID(ys.Year, u.ID), set, set), Year: ys.Year,
				Unit: u.ID, Values: map[string]float64{}})
		}
	}
	for _, k := range matrix.KPIs {
		step := 1.0
		if k.Key == "contract_amount" {
			step = 0.1 // 亿元 with one decimal
		}
		for yi, yearly := range split(int(math.Round(matrix.PlanTargets[k.Key]/step)), shares) {
			city[yi].Values[k.Key] = round(float64(yearly)*step, step)
			for ui, part := range split(yearly, x.unitW) {
				perUnit[yi*len(x.units)+ui].Values[k.Key] = round(float64(part)*step, step)
			}
		}
	}
	for yi := range yearShares {
		x.d.Targets = append(x.d.Targets, city[yi])
		x.d.Targets = append(x.d.Targets, perUnit[yi*len(x.units):(yi+1)*len(x.units)]...)
	}
}

// meta is the metadata of a generated record: version 1, created and last
// changed at the given times (UTC).
func meta(id string, created, updated time.Time) core.Meta {
	return core.Meta{ID: id, Version: 1, CreatedAt: created, UpdatedAt: updated}
}
