// Package lang holds the languages of the map — Kazakh, Russian and English —
// and Text, a phrase in all three, which every planner-facing name in the
// catalogues (indicators, levels, groups) is written as.
package lang

import "strings"

// Text is a phrase in the three languages of the map.
type Text struct {
	KK string `json:"kk"`
	RU string `json:"ru"`
	EN string `json:"en"`
}

// Label is the text in lang (kk, ru or en; anything else gives English).
func (t Text) Label(lang string) string {
	switch strings.ToLower(lang) {
	case "kk":
		return t.KK
	case "ru":
		return t.RU
	}
	return t.EN
}

// Join joins two phrases with a comma, language by language.
func Join(a, b Text) Text {
	return Text{a.KK + ", " + b.KK, a.RU + ", " + b.RU, a.EN + ", " + b.EN}
}

// Codes are the languages of the map.
var Codes = []string{"kk", "ru", "en"}

// Valid reports whether code is one of Codes ("" is not).
func Valid(code string) bool {
	for _, c := range Codes {
		if code == c {
			return true
		}
	}
	return false
}
