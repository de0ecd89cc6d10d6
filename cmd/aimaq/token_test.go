package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/jackc/pgx/v5"
)

// aimaqDB runs the real binary against the database at dbURL.
func aimaqDB(t *testing.T, dbURL string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(aimaqBin(t), args...)
	cmd.Env = append(os.Environ(), "AIMAQ_DATABASE_URL="+dbURL)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

// aimaq token create prints a token once and keeps only its hash; list
// never shows it; a duplicate name, an unknown name and a second revoke are
// errors with exit code 65 (or 1 for a missing name).
func TestTokenCLI(t *testing.T) {
	dbURL := postgistest.NewURL(t)
	out, errOut, code := aimaqDB(t, dbURL, "token", "create", "--name", "akimat-almaty")
	token := strings.TrimSpace(out)
	if code != 0 || !regexp.MustCompile(`^aimaq_[A-Za-z0-9_-]{43}$`).MatchString(token) || !strings.Contains(errOut, "shown this once") {
		t.Fatalf("token create: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, errOut, code := aimaqDB(t, dbURL, "token", "create", "--name", "akimat-almaty"); code != 65 || !strings.Contains(errOut, "exists already") {
		t.Errorf("duplicate: exit %d %s", code, errOut)
	}
	if _, _, code := aimaqDB(t, dbURL, "token", "create"); code != 65 {
		t.Errorf("create without --name: exit %d; want 65", code)
	}
	out, _, code = aimaqDB(t, dbURL, "token", "list")
	if code != 0 || !strings.Contains(out, "akimat-almaty") || strings.Contains(out, token) || strings.Contains(out, token[6:20]) {
		t.Errorf("list: exit %d\n%s", code, out)
	}
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var stored int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM api_token WHERE hash = sha256(convert_to($1, 'UTF8'))`, token).Scan(&stored); err != nil || stored != 1 {
		t.Errorf("the SHA-256 of the printed token is stored %d times (%v); want once", stored, err)
	}
	if out, _, code := aimaqDB(t, dbURL, "token", "revoke", "akimat-almaty"); code != 0 || !strings.Contains(out, "revoked") {
		t.Errorf("revoke: exit %d %s", code, out)
	}
	if _, errOut, code := aimaqDB(t, dbURL, "token", "revoke", "akimat-almaty"); code != 65 || !strings.Contains(errOut, "revoked already") {
		t.Errorf("revoke twice: exit %d %s", code, errOut)
	}
	if _, errOut, code := aimaqDB(t, dbURL, "token", "revoke", "nobody"); code == 0 || !strings.Contains(errOut, `no token named "nobody"`) {
		t.Errorf("revoke unknown: exit %d %s", code, errOut)
	}
	out, _, _ = aimaqDB(t, dbURL, "token", "list")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 2 || strings.HasSuffix(strings.TrimSpace(lines[1]), " -") {
		t.Errorf("list after revoke:\n%s\nwant the revocation time in the last column", out)
	}
}

// aimaq scenario import adds a SYNTHETIC programme file all or none: a file
// with one bad row is refused naming the line and column, exit 65, and the
// projects imported before stay.
func TestScenarioImportCLI(t *testing.T) {
	dbURL := postgistest.NewURL(t)
	if _, errOut, code := aimaqDB(t, dbURL, "migrate"); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), `INSERT INTO area (level, code, name_en, geom, geom_3857) VALUES ('country', 'KZ', 'Synthetic country',
		ST_Multi(ST_MakeEnvelope(70, 49, 73, 52, 4326)), ST_Transform(ST_Multi(ST_MakeEnvelope(70, 49, 73, 52, 4326)), 3857))`); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "good.csv")
	bad := filepath.Join(dir, "bad.csv")
	header := "# SYNTHETIC programme for a test\nkind,name,facility_kind,lon,lat,year,cost_kzt,programme,status,source\n"
	if err := os.WriteFile(good, []byte(header+
		"open_facility,Мектеп (SYNTHETIC),school,71.5,50.5,2026,1500000000,Ауыл – ел бесігі (SYNTHETIC),funded,SYNTHETIC\n"+
		"open_facility,ФАП (SYNTHETIC),feldsher_post,72.1,50.2,2027,150000000,Ауыл – ел бесігі (SYNTHETIC),planned,SYNTHETIC\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(header+
		"open_facility,Мектеп (SYNTHETIC),school,71.5,50.5,2026,,,,SYNTHETIC\n"+
		"open_facility,В море (SYNTHETIC),school,50,44,2026,,,,SYNTHETIC\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := aimaqDB(t, dbURL, "scenario", "import", "--scenario", "Ауыл – ел бесігі 2026 (SYNTHETIC)", good)
	if code != 0 || !strings.Contains(out, "imported 2 projects") || !strings.Contains(errOut, "created scenario") {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	_, errOut, code = aimaqDB(t, dbURL, "scenario", "import", "--scenario", "Ауыл – ел бесігі 2026 (SYNTHETIC)", bad)
	if code != 65 || !strings.Contains(errOut, "bad.csv line 4, column lon:") {
		t.Errorf("bad file: exit %d %s; want 65 naming line 4, column lon", code, errOut)
	}
	out, _, _ = aimaqDB(t, dbURL, "scenario", "list")
	if !strings.Contains(out, "Ауыл – ел бесігі 2026 (SYNTHETIC)") || !regexp.MustCompile(`\s2\s+cli:`).MatchString(out) {
		t.Errorf("list after a refused file:\n%s\nwant 2 projects, created by cli:<user>", out)
	}
	var logged int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM write_log WHERE method = 'CLI' AND token_name LIKE 'cli:%'`).Scan(&logged); err != nil || logged != 2 {
		t.Errorf("%d CLI writes logged (%v); want create and import", logged, err)
	}
}

// The real server takes writes with a token made by the command line and
// refuses them once it is revoked, while reads stay open.
func TestE2EScenarioTokens(t *testing.T) {
	dbURL := postgistest.NewURL(t)
	out, errOut, code := aimaqDB(t, dbURL, "token", "create", "--name", "e2e")
	if code != 0 {
		t.Fatalf("token create: %s", errOut)
	}
	token := strings.TrimSpace(out)
	base := serveDatabase(t, aimaqBin(t), dbURL)
	post := func(tok, body string) int {
		t.Helper()
		req, err := http.NewRequest("POST", base+"/api/scenarios", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if c := post("", `{"name":"SYNTHETIC e2e"}`); c != 401 {
		t.Errorf("without token: %d; want 401", c)
	}
	if c := post(token, `{"name":"SYNTHETIC e2e"}`); c != 201 {
		t.Errorf("with token: %d; want 201", c)
	}
	if _, errOut, code := aimaqDB(t, dbURL, "token", "revoke", "e2e"); code != 0 {
		t.Fatalf("revoke: %s", errOut)
	}
	if c := post(token, `{"name":"SYNTHETIC e2e 2"}`); c != 401 {
		t.Errorf("after revoke: %d; want 401", c)
	}
	resp, err := http.Get(base + "/api/scenarios/1/log")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"token":"e2e"`) || strings.Contains(string(body), token) {
		t.Errorf("log = %d %s", resp.StatusCode, body)
	}
}
