package tiles_test

import (
	"fmt"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/aimaq/aimaq/tiles"
)

func ExampleParseTile() {
	t, err := tiles.ParseTile("10", "709", "328")
	fmt.Println(t, err)

	_, err = tiles.ParseTile("3", "0", "9")
	fmt.Println(errs.KindOf(err), "-", errs.Message(err))
	// Output:
	// 10/709/328 <nil>
	// invalid - y=9 out of range for z=3: want 0..7
}

func ExampleTileJSON() {
	l, _ := tiles.NewCatalogue().Layer("districts")
	// The bounds are the imported country's extent (here about Kazakhstan's).
	tj := tiles.TileJSON(l, "https://maps.example.kz", [4]float64{46.49, 40.57, 87.32, 55.44})
	fmt.Println(tj.TileJSON, tj.Tiles[0])
	fmt.Println(tj.MinZoom, tj.MaxZoom, tj.Bounds)
	fmt.Println(tj.VectorLayers[0].ID, tj.VectorLayers[0].Fields["oblast_name_kk"])
	// Output:
	// 3.0.0 https://maps.example.kz/tiles/districts/{z}/{x}/{y}.mvt
	// 0 14 [46.49 40.57 87.32 55.44]
	// districts String: oblast name in Kazakh
}
