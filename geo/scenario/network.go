package scenario

import (
	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/route"
)

// Network returns what the baseline stands on, for other analyses of the same
// run (geo/siting's costing): the input it was built from, its options, the
// road graph (nil without roads) and its snapper. Evaluate changes none of
// them (its edits are patches over the graph, undone), so they may be read
// while scenarios are evaluated; callers must not change them.
func (b *Baseline) Network() (*access.Input, access.Options, *route.Graph, *route.Snapper) {
	return b.in, b.o, b.g, b.sn
}
