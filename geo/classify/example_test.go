package classify_test

import (
	"fmt"
	"math"

	"github.com/aimaq/aimaq/geo/classify"
)

// Minutes to the nearest clinic in twelve districts, in five natural-breaks classes,
// coloured so that the longest trips are the darkest.
func ExampleClassify() {
	minutes := []float64{8, 9, 11, 12, 14, 22, 24, 25, 41, 44, 70, 95}
	c, err := classify.Classify(classify.MethodJenks, minutes, 5, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	name, colours := classify.RampFor(classify.LowerBetter, c.K())
	fmt.Println("ramp", name)
	for i := range c.K() {
		fmt.Printf("%s  from %2.0f min  %d districts\n", colours[i], c.Bounds[i], c.Counts[i])
	}
	fmt.Printf("GVF %.3f; 30 min is in class %d\n", c.GVF, c.Class(30))
	// Output:
	// ramp OrRd
	// #fef0d9  from  8 min  5 districts
	// #fdcc8a  from 22 min  3 districts
	// #fc8d59  from 41 min  2 districts
	// #e34a33  from 70 min  1 districts
	// #b30000  from 95 min  1 districts
	// GVF 0.996; 30 min is in class 1
}

// Head/tail breaks keep splitting off the few large values of a heavy-tailed
// indicator: here the populations of 40 towns in a rank-size (Zipf) pattern, the
// town of rank r having 120,000/r people.
func ExampleHeadTail() {
	var population []float64
	for r := 1; r <= 40; r++ {
		population = append(population, math.Round(120000/float64(r)))
	}
	c, err := classify.HeadTail(population, 9)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d classes, bounds %.0f, counts %v\n", c.K(), c.Bounds, c.Counts)
	// Output:
	// 4 classes, bounds [3000 12836 37720 73333 120000], counts [31 6 2 1]
}

func ExampleManual() {
	km := []float64{0.4, 1.2, 2.9, 3.1, 4.8, 7.5, 12}
	_, err := classify.Manual(km, []float64{3, 15})
	fmt.Println(err)
	c, _ := classify.Manual(km, []float64{3, 5})
	fmt.Println(c.Bounds, c.Counts)
	// Output:
	// classify: bad manual break: break 2 (15) is outside the values, which run from 0.4 to 12; every break must lie strictly between them
	// [0.4 3 5 12] [3 2 2]
}

func ExampleRamp() {
	colours, _ := classify.Ramp("YlGnBu", 4)
	fmt.Println(colours)
	// Output:
	// [#ffffcc #a1dab4 #41b6c4 #225ea8]
}
