package classify

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// This product includes color specifications and designs developed by Cynthia
// Brewer (http://colorbrewer.org/). Each scheme is written as in ColorBrewer, for
// k = 3 … 9, six hex digits per colour; sequential schemes run light to dark,
// diverging ones from the first hue of the name's pair through a light middle to
// the other (PuOr from orange to purple, as ColorBrewer lists it). Only schemes that
// colorbrewer2.org marks colour-blind safe at every k are here.
var ramps = map[string]struct {
	diverging bool
	k         [7]string // k = 3 … 9
}{
	"YlGnBu": {false, [7]string{
		"edf8b17fcdbb2c7fb8",
		"ffffcca1dab441b6c4225ea8",
		"ffffcca1dab441b6c42c7fb8253494",
		"ffffccc7e9b47fcdbb41b6c42c7fb8253494",
		"ffffccc7e9b47fcdbb41b6c41d91c0225ea80c2c84",
		"ffffd9edf8b1c7e9b47fcdbb41b6c41d91c0225ea80c2c84",
		"ffffd9edf8b1c7e9b47fcdbb41b6c41d91c0225ea8253494081d58",
	}},
	"OrRd": {false, [7]string{
		"fee8c8fdbb84e34a33",
		"fef0d9fdcc8afc8d59d7301f",
		"fef0d9fdcc8afc8d59e34a33b30000",
		"fef0d9fdd49efdbb84fc8d59e34a33b30000",
		"fef0d9fdd49efdbb84fc8d59ef6548d7301f990000",
		"fff7ecfee8c8fdd49efdbb84fc8d59ef6548d7301f990000",
		"fff7ecfee8c8fdd49efdbb84fc8d59ef6548d7301fb300007f0000",
	}},
	"YlOrBr": {false, [7]string{
		"fff7bcfec44fd95f0e",
		"ffffd4fed98efe9929cc4c02",
		"ffffd4fed98efe9929d95f0e993404",
		"ffffd4fee391fec44ffe9929d95f0e993404",
		"ffffd4fee391fec44ffe9929ec7014cc4c028c2d04",
		"ffffe5fff7bcfee391fec44ffe9929ec7014cc4c028c2d04",
		"ffffe5fff7bcfee391fec44ffe9929ec7014cc4c02993404662506",
	}},
	"PuBu": {false, [7]string{
		"ece7f2a6bddb2b8cbe",
		"f1eef6bdc9e174a9cf0570b0",
		"f1eef6bdc9e174a9cf2b8cbe045a8d",
		"f1eef6d0d1e6a6bddb74a9cf2b8cbe045a8d",
		"f1eef6d0d1e6a6bddb74a9cf3690c00570b0034e7b",
		"fff7fbece7f2d0d1e6a6bddb74a9cf3690c00570b0034e7b",
		"fff7fbece7f2d0d1e6a6bddb74a9cf3690c00570b0045a8d023858",
	}},
	"Blues": {false, [7]string{
		"deebf79ecae13182bd",
		"eff3ffbdd7e76baed62171b5",
		"eff3ffbdd7e76baed63182bd08519c",
		"eff3ffc6dbef9ecae16baed63182bd08519c",
		"eff3ffc6dbef9ecae16baed64292c62171b5084594",
		"f7fbffdeebf7c6dbef9ecae16baed64292c62171b5084594",
		"f7fbffdeebf7c6dbef9ecae16baed64292c62171b508519c08306b",
	}},
	"PuOr": {true, [7]string{
		"f1a340f7f7f7998ec3",
		"e66101fdb863b2abd25e3c99",
		"e66101fdb863f7f7f7b2abd25e3c99",
		"b35806f1a340fee0b6d8daeb998ec3542788",
		"b35806f1a340fee0b6f7f7f7d8daeb998ec3542788",
		"b35806e08214fdb863fee0b6d8daebb2abd28073ac542788",
		"b35806e08214fdb863fee0b6f7f7f7d8daebb2abd28073ac542788",
	}},
	"BrBG": {true, [7]string{
		"d8b365f5f5f55ab4ac",
		"a6611adfc27d80cdc1018571",
		"a6611adfc27df5f5f580cdc1018571",
		"8c510ad8b365f6e8c3c7eae55ab4ac01665e",
		"8c510ad8b365f6e8c3f5f5f5c7eae55ab4ac01665e",
		"8c510abf812ddfc27df6e8c3c7eae580cdc135978f01665e",
		"8c510abf812ddfc27df6e8c3f5f5f5c7eae580cdc135978f01665e",
	}},
	"RdBu": {true, [7]string{
		"ef8a62f7f7f767a9cf",
		"ca0020f4a58292c5de0571b0",
		"ca0020f4a582f7f7f792c5de0571b0",
		"b2182bef8a62fddbc7d1e5f067a9cf2166ac",
		"b2182bef8a62fddbc7f7f7f7d1e5f067a9cf2166ac",
		"b2182bd6604df4a582fddbc7d1e5f092c5de4393c32166ac",
		"b2182bd6604df4a582fddbc7f7f7f7d1e5f092c5de4393c32166ac",
	}},
}

// reversed is the suffix that turns a ramp around.
const reversed = "_r"

// RampNames lists the ramps, sorted; each also exists reversed, with the suffix "_r".
func RampNames() []string {
	return slices.Sorted(maps.Keys(ramps))
}

// Ramp returns k colours (2 ≤ k ≤ 9) of the named ramp as "#rrggbb", from the class
// of the smallest values to that of the largest. A name ending in "_r" is the ramp
// reversed; k = 2 is the two ends of the 3-class scheme.
func Ramp(name string, k int) ([]string, error) {
	base, rev := strings.CutSuffix(name, reversed)
	r, ok := ramps[base]
	if !ok {
		return nil, fmt.Errorf("classify: unknown colour ramp %q: want one of %v, optionally with the suffix %q", name, RampNames(), reversed)
	}
	if k < 2 || k > MaxClasses {
		return nil, fmt.Errorf("%w: colour ramp %s has 2 to %d classes, got %d", ErrClassCount, name, MaxClasses, k)
	}
	hex := r.k[max(k, 3)-3]
	cs := make([]string, 0, k)
	for i := 0; i < len(hex); i += 6 {
		cs = append(cs, "#"+hex[i:i+6])
	}
	if k == 2 {
		cs = []string{cs[0], cs[2]}
	}
	if rev {
		slices.Reverse(cs)
	}
	return cs, nil
}

// Indicator directions RampFor understands.
const (
	HigherBetter = "higher-better"
	LowerBetter  = "lower-better"
	Neutral      = "neutral"
	Diverging    = "diverging"
)

// RampFor picks the ramp for an indicator's direction so that, on every map, darker
// and warmer means worse (see the package doc): OrRd for lower-better, OrRd_r for
// higher-better, YlGnBu for neutral and PuOr for diverging; an unknown direction is
// treated as neutral. colours is nil when k is outside 2 … 9.
func RampFor(direction string, k int) (name string, colours []string) {
	switch direction {
	case LowerBetter:
		name = "OrRd"
	case HigherBetter:
		name = "OrRd" + reversed
	case Diverging:
		name = "PuOr"
	default:
		name = "YlGnBu"
	}
	colours, _ = Ramp(name, k)
	return name, colours
}
