package domain

import (
	"sync"
	"time"
)

// zones caches loaded time zones: time.LoadLocation reads and parses the
// zone file on every call, and Find times asks once per interviewer per
// request. The set of names is small (IANA's list), so the cache is bounded.
var zones sync.Map // name → *time.Location

// maxZoneNames bounds the cache against arbitrary names that happen to
// load (there are about 600 real ones).
const maxZoneNames = 2000

var zoneCount int64
var zoneMu sync.Mutex

// LoadLocation is time.LoadLocation with a cache.
func LoadLocation(name string) (*time.Location, error) {
	if v, ok := zones.Load(name); ok {
		return v.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zoneMu.Lock()
	if zoneCount < maxZoneNames {
		if _, loaded := zones.LoadOrStore(name, loc); !loaded {
			zoneCount++
		}
	}
	zoneMu.Unlock()
	return loc, nil
}
