package glyphs_test

import (
	"context"
	"fmt"

	"github.com/aimaq/aimaq/tiles/glyphs"
	"golang.org/x/image/font/gofont/goregular"
)

func ExampleParseRange() {
	start, end, err := glyphs.ParseRange("1024-1279") // Cyrillic, Kazakh letters included
	fmt.Println(start, end, err)
	_, _, err = glyphs.ParseRange("1000-1255")
	fmt.Println(err)
	// Output:
	// 1024 1279 <nil>
	// glyph range 1000-1255: want a multiple of 256 up to 65280, a dash, and that number plus 255
}

func ExampleFonts_Glyphs() {
	// cmd/aimaq reads DejaVu Sans from fonts-dejavu-core; any TrueType font will do.
	fonts, err := glyphs.New(glyphs.Font{Name: "Go Regular", Data: goregular.TTF})
	if err != nil {
		panic(err)
	}
	// A MapLibre style asking for ["Noto Sans Regular", "Go Regular"] gets the font it can.
	pbf, err := fonts.Glyphs(context.Background(), "Noto Sans Regular,Go Regular", 0, 255)
	fmt.Println(len(pbf) > 0, err)
	// Output: true <nil>
}
