package importer

import (
	"bytes"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/osm"
)

// A relation's member ways are input: joining any set of them into rings
// must end, and give closed rings of at least 4 positions or an error.
func FuzzJoinRings(f *testing.F) {
	for _, seed := range [][]byte{
		{1, 2, 0xff, 2, 3, 4, 0xff, 4, 1},       // three ways of one ring
		{1, 2, 3, 4, 1},                         // a closed way
		{1, 2, 0xff, 3, 4},                      // two that never meet
		{1, 2, 0xff, 2, 1},                      // a ring of 3 positions
		{1, 2, 0xff, 1, 2, 0xff, 2, 3, 0xff, 3}, // shared ends, a one-node way
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var ways [][]osm.NodeID
		coords := map[osm.NodeID]orb.Point{}
		for _, part := range bytes.Split(b, []byte{0xff}) {
			if len(part) == 0 {
				continue
			}
			w := make([]osm.NodeID, len(part))
			for i, c := range part {
				w[i] = osm.NodeID(c % 16)
				if c%16 != 15 { // node 15 is not in the extract
					coords[w[i]] = orb.Point{float64(c % 16), float64(c % 16 * c % 16 % 7)}
				}
			}
			ways = append(ways, w)
		}
		rings, err := joinRings(ways, coords)
		if err != nil {
			return
		}
		for _, r := range rings {
			if len(r) < 4 || r[0] != r[len(r)-1] {
				t.Fatalf("ring %v: want closed, of at least 4 positions", r)
			}
		}
	})
}
