package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/aimaq/aimaq/geo/access"
)

// runsAnswer is GET /api/runs.
type runsAnswer struct {
	Runs []access.Run `json:"runs"`
}

// handleRuns serves GET /api/runs[?format=json|csv]: every compute run kept,
// newest first, with the import it saw, its parameters' digest, how many
// settlements and areas it made figures for and whether data changed since.
func (s *server) handleRuns(w http.ResponseWriter, r *http.Request) error {
	format, err := areaFormat(r.URL.Query().Get("format"), r.Header.Get("Accept"))
	if err != nil {
		return err
	}
	if s.runs == nil {
		return errNoRunData
	}
	ctx, cancel := s.apiContext(r)
	defer cancel()
	runs, err := s.runs.Runs(ctx)
	if err != nil {
		return err
	}
	apiHeaders(w)
	w.Header().Set("Vary", "Accept")
	if format == formatCSV {
		writeRunsCSV(w, runs)
		return nil
	}
	writeJSON(w, http.StatusOK, runsAnswer{Runs: runs})
	return nil
}

// writeRunsCSV writes the runs as UTF-8 CSV (RFC 4180, CRLF line ends).
func writeRunsCSV(w http.ResponseWriter, runs []access.Run) {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	when := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	_ = cw.Write([]string{"id", "status", "started_at", "finished_at", "data_generation", "import_dataset", "import_source", "import_finished_at",
		"params_digest", "settlements", "areas", "stale", "latest"})
	for _, r := range runs {
		imp := access.RunImport{}
		if r.Import != nil {
			imp = *r.Import
		}
		_ = cw.Write([]string{strconv.FormatInt(r.ID, 10), r.Status, when(&r.StartedAt), when(r.FinishedAt), strconv.FormatInt(r.DataGeneration, 10),
			imp.Dataset, imp.Source, when(imp.FinishedAt), r.ParamsDigest, strconv.FormatInt(r.Settlements, 10), strconv.FormatInt(r.Areas, 10),
			strconv.FormatBool(r.Stale), strconv.FormatBool(r.Latest)})
	}
	cw.Flush()
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="aimaq-runs.csv"`)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}
