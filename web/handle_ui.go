package web

import (
	"bytes"
	"encoding/hex"
	"errors"
	"hash/fnv"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/aimaq/aimaq/internal/errs"
)

// handleUI serves the front end from the UI file system: index.html at / and
// for directories, other files as they are. Responses carry an ETag of the
// content (embedded files have no modification time), so http.ServeContent
// answers conditional requests with 304.
func (s *server) handleUI(w http.ResponseWriter, r *http.Request) error {
	if s.ui == nil {
		return errs.E(errs.NotFound, "no front end in this build")
	}
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if name == "" {
		name = "."
	}
	if !fs.ValidPath(name) {
		return errs.E(errs.NotFound, "no file %s", errs.Shorten(r.URL.Path))
	}
	info, err := fs.Stat(s.ui, name)
	if err == nil && info.IsDir() {
		name = path.Join(name, "index.html")
		info, err = fs.Stat(s.ui, name)
	}
	if errors.Is(err, fs.ErrNotExist) || (err == nil && info.IsDir()) {
		return errs.E(errs.NotFound, "no file %s", errs.Shorten(r.URL.Path))
	}
	if err != nil {
		return errs.Wrap(errs.Internal, err, "stat %s", name)
	}
	f, err := s.ui.Open(name)
	if err != nil {
		return errs.Wrap(errs.Internal, err, "open %s", name)
	}
	defer f.Close()
	content, ok := f.(io.ReadSeeker) // embed.FS and os.DirFS files are
	if !ok {
		b, err := io.ReadAll(f)
		if err != nil {
			return errs.Wrap(errs.Internal, err, "read %s", name)
		}
		content = bytes.NewReader(b)
	}

	h := w.Header()
	h.Set("Content-Type", contentType(name))
	h.Set("Cache-Control", uiCacheControl(name))
	h.Set("X-Content-Type-Options", "nosniff")
	if tag := s.uiETag(name, content); tag != "" {
		h.Set("ETag", tag)
	}
	http.ServeContent(w, r, name, info.ModTime(), content)
	return nil
}

// uiETag hashes a file's content once; the UI file system does not change
// while the process runs.
func (s *server) uiETag(name string, content io.ReadSeeker) string {
	if v, ok := s.uiETags.Load(name); ok {
		return v.(string)
	}
	h := fnv.New64a()
	if _, err := io.Copy(h, content); err != nil {
		return ""
	}
	if _, err := content.Seek(0, io.SeekStart); err != nil {
		return ""
	}
	tag := `"` + hex.EncodeToString(h.Sum(nil)) + `"`
	s.uiETags.Store(name, tag)
	return tag
}

// contentType names the types a browser is strict about (ES modules must be
// JavaScript) explicitly, rather than trusting the host's mime.types.
func contentType(name string) string {
	switch ext := strings.ToLower(path.Ext(name)); ext {
	case ".html":
		return "text/html; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".json", ".map":
		return "application/json; charset=utf-8"
	case ".wasm":
		return "application/wasm"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".pbf", ".mvt":
		return "application/x-protobuf"
	default:
		if t := mime.TypeByExtension(ext); t != "" {
			return t
		}
		return "application/octet-stream"
	}
}

// uiCacheControl: index.html is revalidated on every load so a new build
// shows at once (the ETag makes that a 304); vendor/ holds third-party
// bundles that change only with a release; the rest may be reused briefly.
func uiCacheControl(name string) string {
	switch {
	case path.Base(name) == "index.html":
		return "no-cache"
	case strings.HasPrefix(name, "vendor/"):
		return "public, max-age=86400"
	default:
		return "public, max-age=300"
	}
}
