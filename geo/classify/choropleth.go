package classify

import (
	"strconv"

	"errors"
	"github.com/aimaq/aimaq/geo/lang"
	"strings"

	"github.com/aimaq/aimaq/internal/errs"
)

// Choropleth is a classification with its colours: what a map of one
// indicator at one level shows.
type Choropleth struct {
	Classes
	Ramp   string   // the ramp's name
	Colors []string // one per class
	Notes  []string // what the reader should know about the classes: Messages in English
	// Messages are the notes as codes the map words in kk/ru/en.
	Messages []lang.Message
}

// ForMap classifies values for a map: by method into k classes (manual:
// at breaks), coloured with the ramp for the indicator's direction
// (higher-better, lower-better or neutral). Fewer distinct values than
// classes (6 groups, 7 classes) give one class per distinct value — the
// honest map — and a note that says so.
func ForMap(method Method, values []float64, k int, manual []float64, direction string) (Choropleth, error) {
	var notes []lang.Message
	if method == MethodAuto {
		var why lang.Message
		method, why = Auto(values, k)
		notes = append(notes, why)
	}
	c, err := Classify(method, values, k, manual)
	if err == nil && method != MethodManual {
		// A manual choice is the planner's; any other is never drawn with
		// an empty or zero-width class.
		var merged bool
		if c, merged = mergeDegenerate(c, values); merged {
			notes = append(notes, lang.Msg(lang.MsgMergedClasses, "classes", strconv.Itoa(c.K())))
		}
		c = roundBounds(c, values)
	}
	if errors.Is(err, ErrTooFewValues) {
		if d := distinctCount(sorted(values)); d >= 2 {
			if c, err = Jenks(values, d); err == nil {
				notes = append(notes, lang.Msg(lang.MsgDistinctValues, "distinct", strconv.Itoa(d)))
			}
		}
	}
	if err != nil {
		return Choropleth{}, err
	}
	ramp, colors := RampFor(direction, len(c.Counts))
	return Choropleth{Classes: c, Ramp: ramp, Colors: colors, Notes: lang.English(notes), Messages: notes}, nil
}

// ParseMethod reads a method parameter ("" is auto: chosen from the
// distribution).
func ParseMethod(s string) (Method, error) {
	if s == "" {
		return MethodAuto, nil
	}
	for _, m := range Methods() {
		if string(m) == s {
			return m, nil
		}
	}
	names := make([]string, len(Methods()))
	for i, m := range Methods() {
		names[i] = string(m)
	}
	return "", errs.E(errs.Invalid, "method %q unknown: want %s or %s", errs.Shorten(s), strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
}
