package compute

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/route"
)

// NearbyStore is what Nearby reads.
type NearbyStore interface {
	DataGeneration(ctx context.Context) (int64, error)
	NearbyInput(ctx context.Context) ([]access.Facility, []route.Road, error)
}

var _ NearbyStore = (*postgis.Store)(nil)

// Nearby answers the API's "what is near this point" with an access.Nearby
// built from the database's facilities and roads, rebuilt when an import
// changed them (checked at most every RefreshEvery).
type Nearby struct {
	db NearbyStore
	o  access.Options

	mu      sync.Mutex
	checked time.Time
	gen     int64
	cur     *access.Nearby
}

// RefreshEvery bounds how often Nearby asks the database whether the data changed.
const RefreshEvery = 30 * time.Second

// NewNearby returns a point search over the database; it loads on first use.
func NewNearby(db NearbyStore, o access.Options) *Nearby { return &Nearby{db: db, o: o} }

// current returns the access.Nearby of the latest data.
func (n *Nearby) current(ctx context.Context) (*access.Nearby, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.cur != nil && time.Since(n.checked) < RefreshEvery {
		return n.cur, nil
	}
	gen, err := n.db.DataGeneration(ctx)
	if err != nil {
		return nil, err
	}
	n.checked = time.Now()
	if n.cur != nil && gen == n.gen {
		return n.cur, nil
	}
	fs, roads, err := n.db.NearbyInput(ctx)
	if err != nil {
		return nil, err
	}
	cur, err := access.NewNearby(fs, roads, n.o)
	if err != nil {
		return nil, err
	}
	n.cur, n.gen = cur, gen
	return cur, nil
}

// PointAccess returns the nearest facility of each kind from lon, lat.
func (n *Nearby) PointAccess(ctx context.Context, lon, lat float64) (_ *access.PointReport, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("compute.Nearby.PointAccess(%v, %v): %w", lon, lat, err)
		}
	}()
	cur, err := n.current(ctx)
	if err != nil {
		return nil, err
	}
	return cur.Report(lon, lat), nil
}
