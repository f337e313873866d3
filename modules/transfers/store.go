package transfers

import (
	"go.mongodb.org/mongo-driver/mongo"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// DealRepo is the deals collection with its search sync.
type DealRepo = core.Repo[Deal, *Deal]

// BrokerRepo is the brokers collection with its search sync.
type BrokerRepo = core.Repo[Broker, *Broker]

// NewDealRepo wires the deals collection.
func NewDealRepo(db *mongo.Database, sync *search.Sync, audit core.Auditor) *DealRepo {
	return core.NewRepo[Deal](db, KindDeals, sync, audit, DealToDoc)
}

// NewBrokerRepo wires the brokers collection.
func NewBrokerRepo(db *mongo.Database, sync *search.Sync, audit core.Auditor) *BrokerRepo {
	return core.NewRepo[Broker](db, KindBrokers, sync, audit, BrokerToDoc)
}
