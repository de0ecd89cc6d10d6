package importer

import (
	"github.com/aimaq/aimaq/internal/errs"
	"os"
	"path/filepath"
	"testing"
)

// Imported files are user input: the parsers must answer every byte string
// with features or an input error, never a panic or another kind of error.

func FuzzReadFeatures(f *testing.F) {
	for _, seed := range []string{
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"KATO":"111600000"},"geometry":{"type":"Point","coordinates":[71,51]}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":null,"geometry":null}]}`,
		`{"type":"FeatureCollection","features":[`,
		`{"type":"Feature"}`,
		"\xef\xbb\xbf{}",
		`[]`,
	} {
		f.Add([]byte(seed))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "in.geojson")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		feats, _, err := readFeatures(p)
		if err != nil {
			if errs.KindOf(err) != errs.Invalid {
				t.Fatalf("error of the wrong kind for %q: %v", b, err)
			}
			return
		}
		for _, ft := range feats {
			if ft.geom == nil {
				t.Fatalf("feature %d without geometry accepted", ft.index)
			}
		}
	})
}

func FuzzParsePopulation(f *testing.F) {
	for _, s := range []string{"1234", "1 234", "1,234", "~1200", "1200 (2009)", "", "abc", "-5", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n, ok := ParsePopulation(s); ok && n <= 0 {
			t.Fatalf("ParsePopulation(%q) = %d, true: a population must be positive", s, n)
		}
	})
}

func FuzzParseMaxspeed(f *testing.F) {
	for _, s := range []string{"60", "60 mph", "RU:rural", "KZ:urban", "none", "60;90", "RU:zone30", "10 knots", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, ok := ParseMaxspeed(s); ok && !(v > 0 && v < 1e6) {
			t.Fatalf("ParseMaxspeed(%q) = %v, true: want a positive finite speed", s, v)
		}
	})
}
