package tiles

import (
	"strconv"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/internal/errs"
)

func TestParseTile(t *testing.T) {
	tests := []struct {
		name    string
		z, x, y string
		want    Tile
		wantMsg string // substring of the error message; empty = success
	}{
		{name: "world", z: "0", x: "0", y: "0", want: Tile{0, 0, 0}},
		{name: "astana z10", z: "10", x: "709", y: "328", want: Tile{10, 709, 328}},
		{name: "max zoom corner", z: "22", x: "4194303", y: "4194303", want: Tile{22, 4194303, 4194303}},
		{name: "leading zero", z: "03", x: "7", y: "007", want: Tile{3, 7, 7}},
		{name: "z negative", z: "-1", x: "0", y: "0", wantMsg: "z=-1 out of range: want 0..22"},
		{name: "z 23", z: "23", x: "0", y: "0", wantMsg: "z=23 out of range: want 0..22"},
		{name: "z 31", z: "31", x: "0", y: "0", wantMsg: "z=31 out of range"},
		{name: "z 40", z: "40", x: "0", y: "0", wantMsg: "z=40 out of range"},
		{name: "z huge", z: "99999999999999999999999", x: "0", y: "0", wantMsg: "z=99999999999999999999999 out of range"},
		{name: "x is 2^z", z: "3", x: "8", y: "0", wantMsg: "x=8 out of range for z=3: want 0..7"},
		{name: "y is 2^z", z: "3", x: "0", y: "9", wantMsg: "y=9 out of range for z=3: want 0..7"},
		{name: "x at z0", z: "0", x: "1", y: "0", wantMsg: "x=1 out of range for z=0: want 0..0"},
		{name: "y huge", z: "5", x: "0", y: "18446744073709551616", wantMsg: "y=18446744073709551616 out of range for z=5"},
		{name: "x very long", z: "5", x: strings.Repeat("9", 100), y: "0", wantMsg: "x=999999999999999999999999… out of range for z=5"},
		{name: "x negative", z: "5", x: "-3", y: "0", wantMsg: "x=-3 out of range for z=5"},
		{name: "z letters", z: "abc", x: "0", y: "0", wantMsg: `z="abc" is not a whole number`},
		{name: "z empty", z: "", x: "0", y: "0", wantMsg: "z is empty"},
		{name: "y empty", z: "1", x: "0", y: "", wantMsg: "y is empty"},
		{name: "exponent", z: "1e3", x: "0", y: "0", wantMsg: `z="1e3" is not a whole number`},
		{name: "plus sign", z: "+1", x: "0", y: "0", wantMsg: `z="+1" is not a whole number`},
		{name: "lone minus", z: "-", x: "0", y: "0", wantMsg: `z="-" is not a whole number`},
		{name: "space", z: "1", x: " 0", y: "0", wantMsg: `x=" 0" is not a whole number`},
		{name: "decimal", z: "1", x: "0", y: "0.5", wantMsg: `y="0.5" is not a whole number`},
		{name: "hex", z: "0x1", x: "0", y: "0", wantMsg: `z="0x1" is not a whole number`},
		{name: "underscore", z: "1_0", x: "0", y: "0", wantMsg: `z="1_0" is not a whole number`},
		{name: "unicode digit", z: "١", x: "0", y: "0", wantMsg: "is not a whole number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTile(tt.z, tt.x, tt.y)
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("ParseTile(%q, %q, %q): %v", tt.z, tt.x, tt.y, err)
				}
				if got != tt.want {
					t.Fatalf("ParseTile(%q, %q, %q) = %v, want %v", tt.z, tt.x, tt.y, got, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("ParseTile(%q, %q, %q) = %v, want an error", tt.z, tt.x, tt.y, got)
			}
			if k := errs.KindOf(err); k != errs.Invalid {
				t.Errorf("kind = %v, want invalid", k)
			}
			if msg := errs.Message(err); !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("message = %q, want it to contain %q", msg, tt.wantMsg)
			}
		})
	}
}

func TestTileString(t *testing.T) {
	if got := (Tile{Z: 10, X: 709, Y: 328}).String(); got != "10/709/328" {
		t.Fatalf("String() = %q", got)
	}
}

func FuzzParseTile(f *testing.F) {
	for _, s := range [][3]string{
		{"0", "0", "0"}, {"22", "4194303", "0"}, {"-1", "0", "0"}, {"31", "1", "1"},
		{"3", "8", "0"}, {"abc", "", "1e3"}, {"+1", "0", "0"}, {"99999999999999999999", "0", "0"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, z, x, y string) {
		tile, err := ParseTile(z, x, y)
		if err != nil {
			if errs.KindOf(err) != errs.Invalid {
				t.Fatalf("ParseTile(%q, %q, %q): kind %v, want invalid", z, x, y, errs.KindOf(err))
			}
			if errs.Message(err) == "" {
				t.Fatalf("ParseTile(%q, %q, %q): empty message", z, x, y)
			}
			return
		}
		if tile.Z > MaxZoom || uint64(tile.X) >= 1<<tile.Z || uint64(tile.Y) >= 1<<tile.Z {
			t.Fatalf("ParseTile(%q, %q, %q) = %v, outside the tile grid", z, x, y, tile)
		}
		// Accepted input is decimal digits naming exactly the parsed numbers.
		for _, c := range []struct {
			s    string
			want uint32
		}{{z, uint32(tile.Z)}, {x, tile.X}, {y, tile.Y}} {
			n, err := strconv.ParseUint(c.s, 10, 32)
			if err != nil || uint32(n) != c.want || strings.ContainsAny(c.s, "+-_ ") {
				t.Fatalf("ParseTile(%q, %q, %q) = %v accepted %q", z, x, y, tile, c.s)
			}
		}
		if again, err := ParseTile(strings.Split(tile.String(), "/")[0], strconv.Itoa(int(tile.X)), strconv.Itoa(int(tile.Y))); err != nil || again != tile {
			t.Fatalf("round trip of %v: %v, %v", tile, again, err)
		}
	})
}

func BenchmarkParseTile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseTile("14", "11423", "5942"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseTileInvalid(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseTile("14", "99999", "5942"); err == nil {
			b.Fatal("want an error")
		}
	}
}
