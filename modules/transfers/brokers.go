package transfers

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// TrainingInput is one training record as typed.
type TrainingInput struct {
	Date   core.Date `json:"date"`
	Course string    `json:"course"`
	Hours  float64   `json:"hours"`
}

// BrokerInput is the editable part of a broker, shared by the form and the API.
type BrokerInput struct {
	Name          string          `json:"name"`
	Organisation  string          `json:"organisation"`
	CertificateNo string          `json:"certificate_no"`
	Phone         string          `json:"phone"`
	Training      []TrainingInput `json:"training"`
	Unit          string          `json:"unit"`
}

// Validate normalises in and checks the rules that need no stored data.
func (in *BrokerInput) Validate() error {
	cl := core.CleanLine
	in.Name, in.Organisation, in.Phone, in.Unit = cl(in.Name), cl(in.Organisation), cl(in.Phone), cl(in.Unit)
	in.CertificateNo = strings.ToUpper(strings.Join(strings.Fields(cl(in.CertificateNo)), ""))
	var ps core.Problems
	if in.Name == "" {
		ps.Add("name", "请填写经纪人姓名")
	}
	if in.Organisation == "" {
		ps.Add("organisation", "请填写所属中介机构")
	}
	if len(in.Training) > 100 {
		ps.Add("training", "培训记录最多 100 条（现有 %d 条）", len(in.Training))
	}
	ps.Length("name", "姓名", in.Name, 50)
	ps.Length("organisation", "中介机构", in.Organisation, core.MaxName)
	ps.Length("certificate_no", "证书编号", in.CertificateNo, 40)
	ps.Length("phone", "电话", in.Phone, core.MaxPhone)
	for i := range in.Training {
		t := &in.Training[i]
		t.Course = cl(t.Course)
		if t.Date.IsZero() {
			ps.Add("training", "第 %d 条培训记录缺少日期", i+1)
		}
		if t.Course == "" {
			ps.Add("training", "第 %d 条培训记录缺少课程名称", i+1)
		}
		if math.IsNaN(t.Hours) || t.Hours <= 0 || t.Hours > 1000 {
			ps.Add("training", "第 %d 条培训记录的学时须大于 0 且不超过 1000", i+1)
		}
		ps.Length("training", fmt.Sprintf("第 %d 条培训记录的课程名称", i+1), t.Course, 100)
	}
	return ps.Err()
}

func (in *BrokerInput) apply(b *Broker) {
	b.Name, b.Organisation, b.CertificateNo, b.Phone, b.Unit = in.Name, in.Organisation, in.CertificateNo, in.Phone, in.Unit
	b.Training = make([]Training, len(in.Training))
	for i, t := range in.Training {
		b.Training[i] = Training{Date: t.Date, Course: t.Course, Hours: t.Hours}
	}
	sort.SliceStable(b.Training, func(i, j int) bool { return b.Training[i].Date.Before(b.Training[j].Date) })
}

// BrokerInputOf returns the editable fields of b (to prefill a form).
func BrokerInputOf(b *Broker) BrokerInput {
	in := BrokerInput{Name: b.Name, Organisation: b.Organisation, CertificateNo: b.CertificateNo, Phone: b.Phone, Unit: b.Unit}
	for _, t := range b.Training {
		in.Training = append(in.Training, TrainingInput{Date: t.Date, Course: t.Course, Hours: t.Hours})
	}
	return in
}

// checkCertificate asks the engine whether another broker holds the number.
func (s *Service) checkCertificate(ctx context.Context, no, self string) error {
	if no == "" {
		return nil
	}
	taken, err := s.takenByOther(ctx, KindBrokers, self, search.Filter{Field: "certificate_no", Values: []string{no}})
	if err != nil {
		return fmt.Errorf("transfers: check certificate: %w", err)
	}
	if taken {
		return core.Invalid("certificate_no", "证书编号 %s 已登记在其他经纪人名下", no)
	}
	return nil
}

// CreateBroker validates and stores a broker.
func (s *Service) CreateBroker(ctx context.Context, a core.Actor, scope core.Scope, in BrokerInput) (*Broker, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := s.checkUnit(in.Unit, scope); err != nil {
		return nil, err
	}
	b := &Broker{}
	in.apply(b)
	s.writes.Lock()
	defer s.writes.Unlock()
	if err := s.checkCertificate(ctx, b.CertificateNo, ""); err != nil {
		return nil, err
	}
	if err := s.Brokers.Create(ctx, a, b); err != nil {
		return nil, fmt.Errorf("transfers: create broker: %w", err)
	}
	return b, nil
}

// GetBroker loads a broker the scope may see; others are ErrForbidden.
func (s *Service) GetBroker(ctx context.Context, scope core.Scope, id string) (*Broker, error) {
	b, err := s.Brokers.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !scope.Allows(b.Unit) {
		return nil, fmt.Errorf("transfers: broker %s: %w", id, core.Outside(KindBrokers, id, b.Name, b.Unit))
	}
	return b, nil
}

// UpdateBroker applies in if version is current (else core.ErrConflict).
// Deals already served keep the organisation they were recorded with.
func (s *Service) UpdateBroker(ctx context.Context, a core.Actor, scope core.Scope, id string, version int64, in BrokerInput) (*Broker, error) {
	b, err := s.GetBroker(ctx, scope, id)
	if err != nil {
		return nil, err
	}
	if version != b.Version {
		return nil, fmt.Errorf("transfers: broker %s version %d: %w", id, version, core.ErrConflict)
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := s.checkUnit(in.Unit, scope); err != nil {
		return nil, err
	}
	before := *b
	in.apply(b)
	s.writes.Lock()
	defer s.writes.Unlock()
	if err := s.checkCertificate(ctx, b.CertificateNo, b.ID); err != nil {
		return nil, err
	}
	if err := s.Brokers.Update(ctx, a, b, &before); err != nil {
		return nil, fmt.Errorf("transfers: update broker %s: %w", id, err)
	}
	return b, nil
}

// DeleteBroker removes a broker in scope who served no deal.
func (s *Service) DeleteBroker(ctx context.Context, a core.Actor, scope core.Scope, id string, version int64) error {
	if _, err := s.GetBroker(ctx, scope, id); err != nil {
		return err
	}
	s.writes.Lock()
	defer s.writes.Unlock()
	n, byUnit, err := search.Linking(ctx, s.Engine(), KindDeals, "broker_id", id)
	if err != nil {
		return err
	}
	if n > 0 {
		return core.Invalid("broker_id", "该经纪人已关联 %d 笔技术合同（%s），不能删除", n, core.HeldBy(byUnit, s.Units.Name, "笔"))
	}
	if err := s.Brokers.Delete(ctx, a, id, version); err != nil {
		return fmt.Errorf("transfers: delete broker %s: %w", id, err)
	}
	return nil
}

// BrokerQuery is a filtered, sorted, paginated list of brokers.
type BrokerQuery struct {
	Text         string
	Organisation string
	Unit         string
	TrainedIn    string // year with at least one training record
	Sort         string
	Page         int
	PerPage      int
}

// BrokerSortFields are the broker list's sortable columns.
var BrokerSortFields = []string{"updated", "created", "training_hours", "last_trained", "organisation"}

// BrokerPage is one page of brokers with the organisations facet.
type BrokerPage struct {
	core.Page[*Broker]
	Organisations map[string]int
}

// ListBrokers answers a list through the engine within scope.
func (s *Service) ListBrokers(ctx context.Context, scope core.Scope, q BrokerQuery) (BrokerPage, error) {
	q.Text, q.Organisation, q.TrainedIn = strings.TrimSpace(q.Text), strings.TrimSpace(q.Organisation), strings.TrimSpace(q.TrainedIn)
	if q.TrainedIn != "" {
		if _, err := ParseYear(q.TrainedIn); err != nil {
			return BrokerPage{}, core.Invalid("trained", "培训年份须为四位数字")
		}
	}
	if err := checkPage(q.Text, q.Sort, BrokerSortFields, &q.Page, &q.PerPage); err != nil {
		return BrokerPage{}, err
	}
	scope, ok := scope.To(q.Unit)
	if !ok {
		return BrokerPage{}, nil
	}
	sq := search.Paged(search.Query{Kinds: []string{KindBrokers}, Text: q.Text, Scope: scope.Search(), Facets: []string{"organisation"}},
		q.Page, q.PerPage, q.Sort, q.Text, "updated")
	if q.Organisation != "" {
		sq.Filters = append(sq.Filters, search.Filter{Field: "organisation", Values: []string{q.Organisation}})
	}
	if q.TrainedIn != "" {
		sq.Filters = append(sq.Filters, search.Filter{Field: "training_years", Values: []string{q.TrainedIn}})
	}
	res, err := s.Engine().Search(ctx, sq)
	if err != nil {
		return BrokerPage{}, fmt.Errorf("transfers: list brokers: %w", err)
	}
	items, err := s.Brokers.GetMany(ctx, hitIDs(res.Hits))
	if err != nil {
		return BrokerPage{}, err
	}
	return BrokerPage{Page: core.Page[*Broker]{Items: items, Total: res.Total}, Organisations: res.Facets["organisation"]}, nil
}
