package main

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aimaq/aimaq/internal/testenv"
)

// The printable area report in a real browser (issue 10.5): Chromium prints
// Tselinograd district's report in Kazakh and Akmola oblast's in Russian to
// A4 (artifacts/report-district.pdf, report-oblast.pdf, with PNG screenshots
// beside them); web/ui/test/report.test.mjs checks the page count, the
// width, the values against /api/areas and axe-core.
func TestE2EReport(t *testing.T) {
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		testenv.Missing(t, "chromium not installed (scripts/setup installs it)")
	}
	if _, err := os.Stat("../../web/ui/node_modules/playwright-core"); err != nil {
		t.Fatalf("npm packages missing: run scripts/setup: %v", err)
	}
	s := sharedServer(t)

	// The errors a planner's link can meet answer before any browser.
	for path, want := range map[string]int{
		"/report/district/116600000?lang=de": http.StatusBadRequest,
		"/report/region/116600000":           http.StatusBadRequest,
		"/report/district/999999999":         http.StatusNotFound,
	} {
		resp, body := get(t, s.URL+path)
		if resp.StatusCode != want || !strings.Contains(string(body), `"error"`) {
			t.Errorf("GET %s: %d %s; want %d with an error", path, resp.StatusCode, body, want)
		}
	}

	art, _ := filepath.Abs("../../artifacts")
	_ = os.MkdirAll(art, 0o755)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "node", "../../web/ui/test/report.test.mjs", s.URL, art).CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("browser report test failed: %v", err)
	}
	for _, name := range []string{"report-district.pdf", "report-oblast.pdf", "report-district.png", "report-oblast.png"} {
		if st, err := os.Stat(filepath.Join(art, name)); err != nil || st.Size() < 5000 {
			t.Errorf("artifact %s missing or tiny: %v", name, err)
		}
	}
}
