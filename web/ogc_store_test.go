package web_test

import (
	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/web"
)

// cmd/aimaq wires the store in as the FeatureSource.
var _ web.FeatureSource = (*postgis.Store)(nil)
