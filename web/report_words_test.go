package web

import (
	"strings"
	"testing"
)

// Every word of the report exists in Kazakh, Russian and English, and the
// Kazakh and Russian ones are not left in English.
func TestReportWordsComplete(t *testing.T) {
	for key, w := range reportWords {
		if w.KK == "" || w.RU == "" || w.EN == "" {
			t.Errorf("%s: %+v; want all three languages", key, w)
		}
		if key != "noRank" && !strings.HasPrefix(key, "arrows") && (w.KK == w.EN && w.KK != "—") {
			t.Errorf("%s: the Kazakh %q is the English", key, w.KK)
		}
	}
	for _, k := range []string{"srs.health", "srs.school", "srs.road", "dir.lower-better", "dir.higher-better", "dir.neutral",
		"method.network", "method.straight-line", "method.mixed", "method.statistics", "method.estimated", "method.city"} {
		if _, ok := reportWords[k]; !ok {
			t.Errorf("no words for %s", k)
		}
	}
}

func TestReportNumber(t *testing.T) {
	for _, tc := range []struct {
		v      float64
		digits int
		lang   string
		want   string
	}{
		{1234.5, 1, "en", "1,234.5"},
		{1234.5, 1, "ru", "1234,5"},
		{12345.678, 2, "kk", "12\u00a0345,68"},
		{787971, 0, "ru", "787\u00a0971"},
		{0.40625, 3, "en", "0.406"},
		{2.50, 2, "en", "2.5"},
		{-3, 0, "en", "−3"},
		{-0.0001, 2, "en", "0"},
	} {
		if got := reportNumber(tc.v, tc.digits, tc.lang); got != tc.want {
			t.Errorf("reportNumber(%v, %d, %s) = %q; want %q", tc.v, tc.digits, tc.lang, got, tc.want)
		}
	}
	if got := formatReportValue(0.053, "share", -1, "en"); got != "5.3\u00a0%" {
		t.Errorf("a share: %q", got)
	}
	if got := formatReportValue(7.0918, "per 10,000", -1, "kk"); got != "7,09\u00a010 000 тұрғынға" {
		t.Errorf("per 10,000 in Kazakh: %q", got)
	}
}
