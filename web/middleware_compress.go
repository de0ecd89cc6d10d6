package web

import (
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzhttp"
)

// compressMinSize is the smallest body worth compressing: below it the
// framing costs more than it saves.
const compressMinSize = 1024

// compress encodes answers of 1 KiB and more with zstd or gzip, as the
// client's Accept-Encoding allows (github.com/klauspost/compress/gzhttp: it
// negotiates, sets Vary: Accept-Encoding, and gives a compressed answer the
// ETag of the plain one with -gzip or -zstd added, as a strong validator must
// differ per encoding). A conditional request naming such a suffixed ETag is
// compared without the suffix, so the handlers validate one ETag per content.
// Tiles are compressed once when they are cut and cached so (handleTile sets
// their Content-Encoding itself, which this leaves alone).
func (s *server) compress(next http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(gzhttp.MinSize(compressMinSize), gzhttp.SuffixETag("-gzip"))
	if err != nil {
		panic("web: compression wrapper: " + err.Error()) // only on invalid options
	}
	h := wrap(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if inm := r.Header.Get("If-None-Match"); inm != "" {
			r.Header.Set("If-None-Match", plainETags(inm))
		}
		h.ServeHTTP(w, r)
	})
}

// encodingSuffixes are what compress adds to an ETag, before its closing quote.
var encodingSuffixes = []string{"-gzip", "-zstd"}

// plainETags removes the encoding suffixes from the ETags of an If-None-Match value.
func plainETags(v string) string {
	for _, s := range encodingSuffixes {
		v = strings.ReplaceAll(v, s+`"`, `"`)
	}
	return v
}
