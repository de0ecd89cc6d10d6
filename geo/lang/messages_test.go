package lang

import (
	"slices"
	"strings"
	"testing"
)

// TestMessagesComplete walks every message code: each is worded in kk, ru
// and en, all three use the same placeholders, and a message with every
// argument given leaves no placeholder behind (issue 10.3).
func TestMessagesComplete(t *testing.T) {
	if len(Messages()) < 10 {
		t.Fatalf("%d message codes", len(Messages()))
	}
	for code, text := range Messages() {
		en := Placeholders(text.EN)
		slices.Sort(en)
		for l, s := range map[string]string{"kk": text.KK, "ru": text.RU, "en": text.EN} {
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s: no %s text", code, l)
				continue
			}
			got := Placeholders(s)
			slices.Sort(got)
			if !slices.Equal(slices.Compact(got), slices.Compact(slices.Clone(en))) {
				t.Errorf("%s (%s): placeholders %v, English has %v", code, l, got, en)
			}
		}
		var kv []string
		for _, p := range en {
			kv = append(kv, p, "7")
		}
		m := Msg(code, kv...)
		for _, l := range []string{"kk", "ru", "en"} {
			if out := m.In(l); strings.ContainsAny(out, "{}") {
				t.Errorf("%s in %s: %q keeps a placeholder", code, l, out)
			}
		}
	}
}

func TestMsg(t *testing.T) {
	m := Msg(MsgOneGroup, "group", "southern")
	if got := m.In("en"); got != `one group ("southern"): the between-group parts are 0` {
		t.Errorf("en: %q", got)
	}
	if got := m.In("ru"); !strings.Contains(got, "southern") || !strings.HasPrefix(got, "одна группа") {
		t.Errorf("ru: %q", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("an unknown code did not panic")
		}
	}()
	Msg("no.such.code")
}
