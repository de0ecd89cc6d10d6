package web

import (
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aimaq/aimaq/internal/errs"
)

// Load shedding. Each class of route has a bound on the requests it works on
// at once and a short queue in front of it; a request that finds the queue
// full, or waits longer than queueWait, is answered 503 with Retry-After at
// once — within about 100 ms — instead of piling up behind the database and
// timing out after seconds. Health probes are never shed. The bounds also
// bound memory: a large answer is only built by a request that holds a slot,
// and a client that stops reading loses it at the write deadline.
const queueWait = 100 * time.Millisecond

// writeDeadline is how long a response may take to be written (handler time
// included): a client that stops reading releases what its answer holds.
const writeDeadline = 60 * time.Second

// routeClass is one class of routes: at most slots at work, at most queue waiting.
type routeClass struct {
	name    string
	slots   chan struct{}
	waiting atomic.Int64
	queue   int64
	shed    atomic.Int64 // requests answered 503 by this class, for the log and tests
}

func newRouteClass(name string, slots, queue int) *routeClass {
	return &routeClass{name: name, slots: make(chan struct{}, slots), queue: int64(queue)}
}

// shedClasses are the classes of aimaq's routes. Tiles are many and cheap (and
// mostly cache hits); the API, OGC and styles run heavier queries; bulk
// answers (OGC item pages of up to 10,000 features, area tables with their
// geometry) are built in memory, tens of MB each, so few run at once; the
// front end, fonts and the OpenAPI document are served from memory.
type shedClasses struct {
	tiles, api, bulk, static *routeClass
}

func newShedClasses(tileSlots, apiSlots int) shedClasses {
	cpus := runtime.GOMAXPROCS(0)
	if tileSlots <= 0 {
		tileSlots = 16 * cpus
	}
	if apiSlots <= 0 {
		apiSlots = 4 * cpus
	}
	return shedClasses{
		tiles:  newRouteClass("tiles", tileSlots, 4*tileSlots),
		api:    newRouteClass("api", apiSlots, 4*apiSlots),
		bulk:   newRouteClass("bulk", cpus, 4*cpus),
		static: newRouteClass("static", 64*cpus, 256*cpus),
	}
}

// classOf is the class of a request's path; nil for the health probes.
func (c shedClasses) classOf(path string) *routeClass {
	switch {
	case path == "/healthz" || path == "/readyz":
		return nil
	case strings.HasPrefix(path, "/tiles/"), isOGCTilePath(path):
		return c.tiles
	case strings.HasPrefix(path, "/api/areas/"),
		strings.HasPrefix(path, "/ogc/collections/") && strings.HasSuffix(path, "/items"):
		return c.bulk
	case strings.HasPrefix(path, "/api/"), strings.HasPrefix(path, "/ogc"), strings.HasPrefix(path, "/styles/"),
		strings.HasPrefix(path, "/report/"): // a report asks the database about seventy times
		return c.api
	}
	return c.static
}

// shed admits a request to its class or answers 503 at once, and sets the
// response's write deadline.
func (s *server) shed(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := s.classes.classOf(r.URL.Path)
		if c == nil {
			next.ServeHTTP(w, r)
			return
		}
		if !c.enter(r) {
			c.shed.Add(1)
			s.writeError(w, r, errs.E(errs.Unavailable, "busy: too many %s requests at once, retry shortly", c.name))
			return
		}
		defer c.leave()
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(writeDeadline)) // not every writer has one (tests)
		next.ServeHTTP(w, r)
	})
}

// enter takes a slot, waiting at most queueWait in a queue of bounded
// length; false when the request is to be shed (or its client left).
func (c *routeClass) enter(r *http.Request) bool {
	select {
	case c.slots <- struct{}{}:
		return true
	default:
	}
	if c.waiting.Add(1) > c.queue {
		c.waiting.Add(-1)
		return false
	}
	defer c.waiting.Add(-1)
	t := time.NewTimer(queueWait)
	defer t.Stop()
	select {
	case c.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-r.Context().Done():
		return false
	}
}

func (c *routeClass) leave() { <-c.slots }
