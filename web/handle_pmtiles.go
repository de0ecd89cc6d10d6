package web

import (
	"io"
	"io/fs"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/gorilla/mux"
	"github.com/klauspost/compress/gzhttp"
)

// pmtilesName is what an archive's name may be: no path, no leading dot.
var pmtilesName = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$`)

// pmtilesCacheControl lets CDNs and browsers keep an archive's bytes for a
// minute: a new export under the same name shows soon, and its new ETag
// makes a reader holding the old header start again.
const pmtilesCacheControl = "public, max-age=60"

// archiveLink is one entry of GET /pmtiles.
type archiveLink struct {
	Name     string    `json:"name"`
	URL      string    `json:"url"`
	Bytes    int64     `json:"bytes"`
	Modified time.Time `json:"modified"`
}

// handlePMTilesIndex serves GET /pmtiles: the archives served, for clients
// (and people) that discover them.
func (s *server) handlePMTilesIndex(w http.ResponseWriter, r *http.Request) error {
	out := struct {
		Archives []archiveLink `json:"archives"`
	}{Archives: []archiveLink{}}
	if s.pmtiles != nil {
		entries, err := fs.ReadDir(s.pmtiles, ".")
		if err != nil {
			return errs.Wrap(errs.Internal, err, "list PMTiles archives")
		}
		base := s.baseURL(w, r)
		for _, e := range entries {
			name, ok := strings.CutSuffix(e.Name(), ".pmtiles")
			if !ok || !pmtilesName.MatchString(name) || !e.Type().IsRegular() {
				continue
			}
			fi, err := e.Info()
			if err != nil {
				continue // removed while listing
			}
			out.Archives = append(out.Archives, archiveLink{Name: name, URL: base + "/pmtiles/" + e.Name(), Bytes: fi.Size(), Modified: fi.ModTime().UTC()})
		}
		sort.Slice(out.Archives, func(i, j int) bool { return out.Archives[i].Name < out.Archives[j].Name })
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	writeJSON(w, http.StatusOK, out)
	return nil
}

// handlePMTiles serves GET /pmtiles/{name}.pmtiles: the archive's bytes,
// with Range (206 Partial Content, what PMTiles readers ask), If-Range,
// If-Match and If-None-Match against an ETag made of the file's size and
// modification time. It is never compressed on the way: the tiles in it
// are, and a range of a compressed body would be meaningless.
func (s *server) handlePMTiles(w http.ResponseWriter, r *http.Request) error {
	name := mux.Vars(r)["name"]
	if s.pmtiles == nil || !pmtilesName.MatchString(name) {
		return errs.E(errs.NotFound, "no PMTiles archive %q", errs.Shorten(name))
	}
	f, err := s.pmtiles.Open(name + ".pmtiles")
	if err != nil {
		return errs.E(errs.NotFound, "no PMTiles archive %q", name)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return errs.E(errs.NotFound, "no PMTiles archive %q", name)
	}
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		return errs.E(errs.Internal, "PMTiles archive %q cannot be read in ranges", name)
	}
	h := w.Header()
	h.Set(gzhttp.HeaderNoCompression, "1")
	h.Set("Content-Type", "application/vnd.pmtiles")
	h.Set("Cache-Control", pmtilesCacheControl)
	h.Set("ETag", `"`+strconv.FormatInt(fi.Size(), 36)+"-"+strconv.FormatInt(fi.ModTime().UnixNano(), 36)+`"`)
	http.ServeContent(w, r, "", fi.ModTime(), rs)
	return nil
}
