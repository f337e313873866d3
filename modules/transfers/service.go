package transfers

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// Units knows the matrix units (matrix.Service).
type Units interface {
	HasUnit(id string) bool
	Name(id string) string
}

// Service holds the rules of deals, brokers and the broker subsidy; pages,
// the API and any importer go through it.
type Service struct {
	Deals   *DealRepo
	Brokers *BrokerRepo
	Engine  func() search.Engine
	Units   Units
	// Result names a tech result (resources "results") and its owning
	// unit; nil skips the link check and pages show the id.
	Result func(ctx context.Context, id string) (title, unit string, err error)

	// writes serialises the check-then-write of unique numbers (contract
	// registration numbers per year, broker certificates) in this process,
	// the only writer of the embedded store.
	writes sync.Mutex
}

// NewService wires the service.
func NewService(deals *DealRepo, brokers *BrokerRepo, units Units) *Service {
	return &Service{Deals: deals, Brokers: brokers, Engine: deals.Sync.Engine, Units: units}
}

var (
	idRE       = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	contractRE = regexp.MustCompile(`^[0-9A-Z][0-9A-Z-]{3,39}$`)
)

// amountErr checks a 万元 amount: finite, not negative, plausible.
func amountErr(field string, v float64) error {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return core.Invalid(field, "金额无效")
	case v < 0:
		return core.Invalid(field, "金额不能为负数")
	case v > 1e7:
		return core.Invalid(field, "金额过大（单位为万元）")
	}
	return nil
}

// NormaliseContractNo trims a registration number, drops inner spaces and
// upper-cases it, so that "2024 320583 000123" and "2024320583000123" match.
func NormaliseContractNo(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// DealInput is the editable part of a deal, shared by the form and the API.
type DealInput struct {
	Type       string    `json:"type"`
	Title      string    `json:"title"`
	Seller     string    `json:"seller"`
	Buyer      string    `json:"buyer"`
	Amount     float64   `json:"amount"`
	Paid       float64   `json:"paid"`
	ContractNo string    `json:"contract_no"`
	Date       core.Date `json:"date"`
	BrokerID   string    `json:"broker_id"`
	ResultID   string    `json:"result_id"`
	Unit       string    `json:"unit"`
	Note       string    `json:"note"`
}

// Validate normalises in and checks the rules that need no stored data.
func (in *DealInput) Validate() error {
	cl := core.CleanLine
	in.Type, in.Title, in.Seller, in.Buyer = normaliseType(cl(in.Type)), cl(in.Title), cl(in.Seller), cl(in.Buyer)
	in.ContractNo, in.BrokerID, in.ResultID = NormaliseContractNo(in.ContractNo), cl(in.BrokerID), cl(in.ResultID)
	in.Unit, in.Note = cl(in.Unit), core.CleanText(in.Note)
	var ps core.Problems
	switch {
	case in.Type == "":
		ps.Add("type", "请选择合同类型")
	case !slices.Contains(Types, in.Type):
		ps.Add("type", "未知合同类型 %q（技术开发/转让/许可/咨询/服务）", in.Type)
	}
	if in.Seller == "" {
		ps.Add("seller", "请填写卖方（技术供给方）")
	}
	if in.Buyer == "" {
		ps.Add("buyer", "请填写买方（技术需求方）")
	}
	amountOK := amountErr("amount", in.Amount) == nil && amountErr("paid", in.Paid) == nil
	ps.Check("amount", amountErr("amount", in.Amount))
	ps.Check("paid", amountErr("paid", in.Paid))
	switch {
	case !amountOK:
	case in.Amount == 0:
		ps.Add("amount", "请填写合同金额（万元）")
	case in.Paid > in.Amount:
		ps.Add("paid", "实际支付金额（%s 万元）不能超过合同金额（%s 万元）", fmtWan(in.Paid), fmtWan(in.Amount))
	}
	switch {
	case in.ContractNo == "":
		ps.Add("contract_no", "请填写技术合同登记号")
	case !contractRE.MatchString(in.ContractNo):
		ps.Add("contract_no", "技术合同登记号只能由数字、字母和“-”组成（4–40 位）")
	}
	switch {
	case in.Date.IsZero():
		ps.Add("date", "请填写合同日期")
	case in.Date.After(core.Today(time.Now()).AddDate(1, 0, 0)):
		ps.Add("date", "合同日期不能晚于一年之后")
	}
	if in.BrokerID != "" && !idRE.MatchString(in.BrokerID) {
		ps.Add("broker_id", "技术经纪人编号格式不正确")
	}
	if in.ResultID != "" && !idRE.MatchString(in.ResultID) {
		ps.Add("result_id", "科技成果编号格式不正确")
	}
	ps.Length("title", "合同名称", in.Title, core.MaxName)
	ps.Length("seller", "卖方", in.Seller, core.MaxName)
	ps.Length("buyer", "买方", in.Buyer, core.MaxName)
	ps.Length("note", "备注", in.Note, 2000)
	return ps.Err()
}

func fmtWan(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// checkUnit makes sure the unit exists and is in the caller's scope.
func (s *Service) checkUnit(unit string, scope core.Scope) error {
	switch {
	case unit == "" || !s.Units.HasUnit(unit):
		return core.Invalid("unit", "请选择所属单位")
	case !scope.Allows(unit):
		return core.Invalid("unit", "只能选择本人所属单位")
	}
	return nil
}

// checkContractNo asks the engine whether another deal of the same year
// carries the registration number (city-wide, whatever the caller's scope).
func (s *Service) checkContractNo(ctx context.Context, no string, year int, self string) error {
	taken, err := s.takenByOther(ctx, KindDeals, self, search.Filter{Field: "contract_no", Values: []string{no}},
		search.Filter{Field: "year", Values: []string{strconv.Itoa(year)}})
	if err != nil {
		return fmt.Errorf("transfers: check contract number: %w", err)
	}
	if taken {
		return core.Invalid("contract_no", "技术合同登记号 %s 在 %d 年已登记过", no, year)
	}
	return nil
}

// takenByOther tells whether a record of kind other than self matches the
// filters, city-wide: registration and certificate numbers are unique
// across units.
func (s *Service) takenByOther(ctx context.Context, kind, self string, filters ...search.Filter) (bool, error) {
	res, err := s.Engine().Search(ctx, search.Query{Kinds: []string{kind}, Scope: search.Scope{All: true}, Limit: 2, Filters: filters})
	if err != nil {
		return false, err
	}
	for _, h := range res.Hits {
		if h.ID != self {
			return true, nil
		}
	}
	return false, nil
}

// link fills the broker copy and checks the linked broker and result: a
// link the deal gets (new, or changed from before's; before is nil on
// create) must name a record that exists and that the scope may see. A
// link the deal already had stays, whoever saves it.
func (s *Service) link(ctx context.Context, scope core.Scope, in DealInput, d, before *Deal) error {
	d.BrokerID, d.BrokerName, d.Organisation = "", "", ""
	var ps core.Problems
	if in.BrokerID != "" {
		b, err := s.Brokers.Get(ctx, in.BrokerID)
		switch {
		case errors.Is(err, core.ErrNotFound):
			ps.Add("broker_id", "技术经纪人 %s 不存在", in.BrokerID)
		case err != nil:
			return err
		case (before == nil || before.BrokerID != b.ID) && !scope.Allows(b.Unit):
			ps.Add("broker_id", "技术经纪人“%s”属于%s，不在您的单位范围内，不能关联", b.Name, s.Units.Name(b.Unit))
		default:
			d.BrokerID, d.BrokerName, d.Organisation = b.ID, b.Name, b.Organisation
		}
	}
	if in.ResultID != "" && s.Result != nil {
		title, unit, err := s.Result(ctx, in.ResultID)
		switch {
		case errors.Is(err, core.ErrNotFound):
			ps.Add("result_id", "科技成果 %s 不存在", in.ResultID)
		case err != nil:
			return err
		case (before == nil || before.ResultID != in.ResultID) && !scope.Allows(unit):
			ps.Add("result_id", "科技成果“%s”属于%s，不在您的单位范围内，不能关联", title, s.Units.Name(unit))
		}
	}
	return ps.Err()
}

func (in *DealInput) apply(d *Deal) {
	d.Type, d.Title, d.Seller, d.Buyer = in.Type, in.Title, in.Seller, in.Buyer
	d.Amount, d.Paid, d.ContractNo, d.Date = in.Amount, in.Paid, in.ContractNo, in.Date
	d.ResultID, d.Unit, d.Note = in.ResultID, in.Unit, in.Note
}

// DealInputOf returns the editable fields of d (to prefill a form).
func DealInputOf(d *Deal) DealInput {
	return DealInput{Type: d.Type, Title: d.Title, Seller: d.Seller, Buyer: d.Buyer, Amount: d.Amount, Paid: d.Paid,
		ContractNo: d.ContractNo, Date: d.Date, BrokerID: d.BrokerID, ResultID: d.ResultID,
		Unit: d.Unit, Note: d.Note}
}

// CreateDeal validates and stores a deal.
func (s *Service) CreateDeal(ctx context.Context, a core.Actor, scope core.Scope, in DealInput) (*Deal, error) {
	d := &Deal{}
	verr := in.Validate() // first: it normalises in
	if err := core.AllProblems(verr, s.checkUnit(in.Unit, scope), s.link(ctx, scope, in, d, nil)); err != nil {
		return nil, err
	}
	in.apply(d)
	s.writes.Lock()
	defer s.writes.Unlock()
	if err := s.checkContractNo(ctx, d.ContractNo, d.Year(), ""); err != nil {
		return nil, err
	}
	if err := s.Deals.Create(ctx, a, d); err != nil {
		return nil, fmt.Errorf("transfers: create deal: %w", err)
	}
	return d, nil
}

// GetDeal loads a deal the scope may see; others are ErrForbidden.
func (s *Service) GetDeal(ctx context.Context, scope core.Scope, id string) (*Deal, error) {
	d, err := s.Deals.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !scope.Allows(d.Unit) {
		return nil, fmt.Errorf("transfers: deal %s: %w", id, core.ErrForbidden)
	}
	return d, nil
}

// UpdateDeal applies in if version is current (else core.ErrConflict).
func (s *Service) UpdateDeal(ctx context.Context, a core.Actor, scope core.Scope, id string, version int64, in DealInput) (*Deal, error) {
	d, err := s.GetDeal(ctx, scope, id)
	if err != nil {
		return nil, err
	}
	if version != d.Version {
		return nil, fmt.Errorf("transfers: deal %s version %d: %w", id, version, core.ErrConflict)
	}
	before := *d
	verr := in.Validate() // first: it normalises in
	if err := core.AllProblems(verr, s.checkUnit(in.Unit, scope), s.link(ctx, scope, in, d, &before)); err != nil {
		return nil, err
	}
	in.apply(d)
	s.writes.Lock()
	defer s.writes.Unlock()
	if err := s.checkContractNo(ctx, d.ContractNo, d.Year(), d.ID); err != nil {
		return nil, err
	}
	if err := s.Deals.Update(ctx, a, d, &before); err != nil {
		return nil, fmt.Errorf("transfers: update deal %s: %w", id, err)
	}
	return d, nil
}

// DeleteDeal removes a deal in scope if version is current.
func (s *Service) DeleteDeal(ctx context.Context, a core.Actor, scope core.Scope, id string, version int64) error {
	if _, err := s.GetDeal(ctx, scope, id); err != nil {
		return err
	}
	if err := s.Deals.Delete(ctx, a, id, version); err != nil {
		return fmt.Errorf("transfers: delete deal %s: %w", id, err)
	}
	return nil
}

// DealQuery is a filtered, sorted, paginated list of deals.
type DealQuery struct {
	Text         string
	Type         string
	Year         string
	Unit         string
	BrokerID     string
	Organisation string
	ResultID     string
	Sort         string // field, "-field" for descending
	Page         int
	PerPage      int
}

// DealSortFields are the deal list's sortable columns.
var DealSortFields = []string{"date", "amount", "paid", "contract_no", "updated", "created"}

// Validate normalises q and rejects unknown values with the field named.
func (q *DealQuery) Validate() error {
	q.Text, q.Type, q.Year = strings.TrimSpace(q.Text), normaliseType(strings.TrimSpace(q.Type)), strings.TrimSpace(q.Year)
	if q.Type != "" && !slices.Contains(Types, q.Type) {
		return core.Invalid("type", "未知合同类型 %q", q.Type)
	}
	if q.Year != "" {
		if _, err := ParseYear(q.Year); err != nil {
			return err
		}
	}
	return checkPage(q.Text, q.Sort, DealSortFields, &q.Page, &q.PerPage)
}

// checkPage checks the parameters the deal and broker lists share.
func checkPage(text, sort string, sortFields []string, page, perPage *int) error {
	if err := core.CheckSearchText(text); err != nil {
		return err
	}
	if err := core.CheckSort(sort, sortFields); err != nil {
		return err
	}
	return core.CheckPaging(page, perPage)
}

// ParseYear reads a year parameter (1900–2100).
func ParseYear(s string) (int, error) {
	y, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || y < 1900 || y > 2100 {
		return 0, core.Invalid("year", "年份须为 1900–2100 之间的四位数字")
	}
	return y, nil
}

// DealPage is one page of deals with the total and sums over all matches.
type DealPage struct {
	core.Page[*Deal]
	Amount float64 // 合同金额合计 万元
	Paid   float64 // 实付合计 万元
}

func hitIDs(hits []search.Hit) []string {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	return ids
}

// ListDeals answers a list through the engine within scope; documents are
// then loaded by _id.
func (s *Service) ListDeals(ctx context.Context, scope core.Scope, q DealQuery) (DealPage, error) {
	if err := q.Validate(); err != nil {
		return DealPage{}, err
	}
	scope, ok := scope.To(q.Unit)
	if !ok {
		return DealPage{}, nil
	}
	sq := search.Paged(search.Query{Kinds: []string{KindDeals}, Text: q.Text, Scope: scope.Search(), Sums: []string{"amount", "paid"}},
		q.Page, q.PerPage, q.Sort, q.Text, "date")
	for field, v := range map[string]string{"type": q.Type, "year": q.Year, "broker_id": q.BrokerID,
		"organisation": q.Organisation, "result_id": q.ResultID} {
		if v != "" {
			sq.Filters = append(sq.Filters, search.Filter{Field: field, Values: []string{v}})
		}
	}
	res, err := s.Engine().Search(ctx, sq)
	if err != nil {
		return DealPage{}, fmt.Errorf("transfers: list deals: %w", err)
	}
	items, err := s.Deals.GetMany(ctx, hitIDs(res.Hits))
	if err != nil {
		return DealPage{}, err
	}
	return DealPage{Page: core.Page[*Deal]{Items: items, Total: res.Total}, Amount: roundYuan(res.Sums["amount"][""]), Paid: roundYuan(res.Sums["paid"][""])}, nil
}

// Subsidies computes the broker subsidy per intermediary organisation for
// year over the deals in scope: the engine sums what was paid per
// organisation, the rule (SubsidyOf) turns each sum into a subsidy.
func (s *Service) Subsidies(ctx context.Context, scope core.Scope, year int) ([]Subsidy, error) {
	if year < 1900 || year > 2100 {
		return nil, core.Invalid("year", "年份须为 1900–2100 之间的四位数字")
	}
	res, err := s.Engine().Search(ctx, search.Query{Kinds: []string{KindDeals}, Scope: scope.Search(), Limit: 1,
		Filters: []search.Filter{{Field: "year", Values: []string{strconv.Itoa(year)}}},
		Sums:    []string{"paid"}, GroupBy: "organisation"})
	if err != nil {
		return nil, fmt.Errorf("transfers: subsidies %d: %w", year, err)
	}
	return Subsidies(year, res.Sums["paid"]), nil
}
