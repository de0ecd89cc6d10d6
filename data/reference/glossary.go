package reference

import "fmt"

// Term is one row of glossary.csv: a concept the map names, the term chosen
// in each language, and the source the term follows.
type Term struct {
	Concept    string
	EN, RU, KK string
	Source     string
	Note       string
}

// Glossary reads glossary.csv: every row needs a concept, the three terms and
// a source.
func Glossary() ([]Term, error) {
	rows, err := read("glossary.csv", 6)
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	var out []Term
	for _, r := range rows {
		t := Term{Concept: r.f[0], EN: r.f[1], RU: r.f[2], KK: r.f[3], Source: r.f[4], Note: r.f[5]}
		for i, v := range []string{t.Concept, t.EN, t.RU, t.KK, t.Source} {
			if v == "" {
				return nil, fmt.Errorf("glossary.csv:%d: field %s is empty", r.line, []string{"concept", "en", "ru", "kk", "source"}[i])
			}
		}
		if prev, ok := seen[t.Concept]; ok {
			return nil, fmt.Errorf("glossary.csv:%d: concept %q already on line %d", r.line, t.Concept, prev)
		}
		seen[t.Concept] = r.line
		out = append(out, t)
	}
	return out, nil
}
