package core

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // the office zone loads on machines without a zone database (scratch images)
)

// DefaultZone is the office's time zone unless ZS_TIMEZONE names another.
const DefaultZone = "Asia/Shanghai"

var zone = sync.OnceValues(func() (*time.Location, error) { return LoadZone(os.Getenv("ZS_TIMEZONE")) })

// Zone is the office's time zone (ZS_TIMEZONE, default Asia/Shanghai): the
// one zone where a moment becomes a calendar day and where months, years
// and plan periods are cut. It is read once per process.
func Zone() *time.Location {
	z, _ := zone()
	return z
}

// CheckZone reports a ZS_TIMEZONE that names no zone (Zone is then the
// default); the server refuses to start on it.
func CheckZone() error {
	_, err := zone()
	return err
}

// LoadZone loads an IANA zone name, "" meaning DefaultZone. A name that
// cannot be loaded gives DefaultZone and an error.
func LoadZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = DefaultZone
	}
	loc, err := time.LoadLocation(name)
	if err == nil {
		return loc, nil
	}
	def, derr := time.LoadLocation(DefaultZone)
	if derr != nil { // unreachable with time/tzdata linked in
		def = time.FixedZone("CST", 8*3600)
	}
	return def, fmt.Errorf("ZS_TIMEZONE %q: %w", name, err)
}
