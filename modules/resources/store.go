package resources

import (
	"context"
	"io"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// Repositories of the four kinds, each with its search sync.
type (
	TalentRepo     = core.Repo[Talent, *Talent]
	EnterpriseRepo = core.Repo[Enterprise, *Enterprise]
	InstituteRepo  = core.Repo[Institute, *Institute]
	ResultRepo     = core.Repo[TechResult, *TechResult]
)

// NewTalentRepo wires the talents collection.
func NewTalentRepo(db *mongo.Database, sync *search.Sync, audit core.Auditor) *TalentRepo {
	return core.NewRepo[Talent](db, KindTalents, sync, audit, core.KeepRecord[Talent](TalentToDoc, nil))
}

// NewEnterpriseRepo wires the enterprises collection.
func NewEnterpriseRepo(db *mongo.Database, sync *search.Sync, audit core.Auditor) *EnterpriseRepo {
	return core.NewRepo[Enterprise](db, KindEnterprises, sync, audit, core.KeepRecord[Enterprise](EnterpriseToDoc, nil))
}

// NewInstituteRepo wires the institutes collection.
func NewInstituteRepo(db *mongo.Database, sync *search.Sync, audit core.Auditor) *InstituteRepo {
	return core.NewRepo[Institute](db, KindInstitutes, sync, audit, core.KeepRecord[Institute](InstituteToDoc, nil))
}

// NewResultRepo wires the tech results collection.
func NewResultRepo(db *mongo.Database, sync *search.Sync, audit core.Auditor) *ResultRepo {
	return core.NewRepo[TechResult](db, KindResults, sync, audit, core.KeepRecord[TechResult](ResultToDoc, nil))
}

// Stored declares the four kinds' collections, their search fields and the
// index that makes 统一社会信用代码 unique among enterprises (every enterprise
// carries a code, so a plain unique index suffices).
var Stored = core.Stored{
	Collections: []string{KindTalents, KindEnterprises, KindInstitutes, KindResults},
	Indexes: []core.Index{{Collection: KindEnterprises, Model: mongo.IndexModel{Keys: bson.D{{Key: "credit_code", Value: 1}},
		Options: options.Index().SetName("credit_code").SetUnique(true)}}},
	Search: SearchSchema,
}

// store is one kind's repository behind the Resource interface.
type store interface {
	get(ctx context.Context, id string) (Resource, error)
	getMany(ctx context.Context, ids []string) ([]Resource, error)
	clone(r Resource) Resource
	create(ctx context.Context, a core.Actor, r Resource) error
	update(ctx context.Context, a core.Actor, r, before Resource) error
	delete(ctx context.Context, a core.Actor, id string, version int64) error
	// export writes the records matching q (ok=false: none) as .xlsx.
	export(ctx context.Context, w io.Writer, k *Kind, unitName func(string) string, q search.Query, ok bool) (int, error)
}

type repoStore[T any, P interface {
	*T
	Resource
}] struct{ r *core.Repo[T, P] }

func (s repoStore[T, P]) get(ctx context.Context, id string) (Resource, error) {
	p, err := s.r.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return p, nil
}

func (s repoStore[T, P]) getMany(ctx context.Context, ids []string) ([]Resource, error) {
	ps, err := s.r.GetMany(ctx, ids)
	out := make([]Resource, len(ps))
	for i, p := range ps {
		out[i] = p
	}
	return out, err
}

func (s repoStore[T, P]) clone(r Resource) Resource {
	v := *any(r).(P)
	return P(&v)
}

func (s repoStore[T, P]) create(ctx context.Context, a core.Actor, r Resource) error {
	return s.r.Create(ctx, a, any(r).(P))
}

func (s repoStore[T, P]) update(ctx context.Context, a core.Actor, r, before Resource) error {
	return s.r.Update(ctx, a, any(r).(P), any(before).(P))
}

func (s repoStore[T, P]) delete(ctx context.Context, a core.Actor, id string, version int64) error {
	return s.r.Delete(ctx, a, id, version)
}
