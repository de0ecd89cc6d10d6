package classify

import (
	"encoding/binary"
	"math"
	"testing"
)

// floats decodes up to max little-endian float64s from b.
func floats(b []byte, max int) []float64 {
	var fs []float64
	for len(b) >= 8 && len(fs) < max {
		fs = append(fs, math.Float64frombits(binary.LittleEndian.Uint64(b)))
		b = b[8:]
	}
	return fs
}

func encode(fs ...float64) []byte {
	var b []byte
	for _, f := range fs {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
	}
	return b
}

// FuzzClassify feeds arbitrary values, methods, class counts and manual breaks to
// Classify: it must never panic, and whatever it accepts must be a valid
// classification of the finite values.
func FuzzClassify(f *testing.F) {
	f.Add(encode(1, 2, 3, 10, 11, 12, 30), uint8(0), 3, encode())
	f.Add(encode(calEmp...), uint8(3), 9, encode())
	f.Add(encode(0, 0, 0, 1, math.NaN(), 5, math.Inf(1)), uint8(1), 3, encode())
	f.Add(encode(0.5, 1, 2.5, 3, 4, 7.5, 12), uint8(4), 0, encode(3, 5, 10))
	f.Add(encode(0.5, 1, 2.5, 3, 4, 7.5, 12), uint8(4), 0, encode(3, math.NaN()))
	f.Add(encode(-1e300, 1e300, 0), uint8(2), 9, encode())
	methods := Methods()
	f.Fuzz(func(t *testing.T, rawValues []byte, method uint8, k int, rawBreaks []byte) {
		values := floats(rawValues, 200)
		breaks := floats(rawBreaks, 12)
		m := methods[int(method)%len(methods)]
		c, err := Classify(m, values, k, breaks)
		if err != nil {
			return
		}
		checkClasses(t, c, values)
		switch m {
		case MethodManual:
			if c.K() != len(breaks)+1 {
				t.Fatalf("%d breaks gave %d classes", len(breaks), c.K())
			}
			for i, b := range breaks {
				if c.Bounds[i+1] != b {
					t.Fatalf("bounds %v do not hold the breaks %v", c.Bounds, breaks)
				}
			}
		case MethodHeadTail:
			if c.K() < 2 || c.K() > k {
				t.Fatalf("headtail with at most %d classes gave %d", k, c.K())
			}
		default:
			if c.K() != k {
				t.Fatalf("%s with %d classes gave %d", m, k, c.K())
			}
		}
	})
}
