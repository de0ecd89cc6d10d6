package web_test

import (
	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/web"
)

// The store is what cmd/aimaq wires in; this keeps the interfaces honest
// without data importing web.
var (
	_ web.TileSource = (*postgis.Store)(nil)
	_ web.Pinger     = (*postgis.Store)(nil)
)
