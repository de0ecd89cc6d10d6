package importer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"iter"
	"math"
	"os"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/project"
)

// GeoJSON files run to hundreds of megabytes (issue 8's was 465 MB; decoded
// whole it needed 3 GB), so they are read as a stream and never held whole:
// one feature at a time is in memory, however large the file.
//
// The file is read twice. The first pass (prescan) walks the document's
// structure and checks that every value is well-formed JSON, keeping nothing
// but the top-level type and crs members: RFC 7946 puts no order on an
// object's members (a writer that sorts its keys puts type after features),
// and a crs written after the features decides how the features before it
// are read. A syntax error or a truncated
// file is therefore refused, with its line and column, before any feature is
// read or any SQL runs, as when the whole file was decoded at once. The second
// pass decodes one feature at a time for the importer and hashes the bytes it
// reads (the file's sha256 that the import_run row records).
//
// encoding/json's Decoder is not used to split the stream: its Token method
// is slow, and the offsets of the syntax errors it reports after a Token call
// count only the bytes of decoded values, so they cannot name a line. The
// structural walk below is small: it tracks strings and brackets, and every
// value it delimits is checked by encoding/json, whose error offsets, relative
// to the value, are added to the value's place in the file.

// feature is one decoded GeoJSON feature with its position in the file.
type feature struct {
	index int // 0-based position in "features"
	geom  orb.Geometry
	props geojson.Properties
}

// readFeatures reads a small GeoJSON FeatureCollection whole: boundaries and
// centres, whose rows are few. It is the stream (see featureStream) collected
// into a slice, with the same checks and errors, and the file's bytes for the
// import_run hash. Files that can be large are read with streamFeatures.
func readFeatures(file string) ([]feature, []byte, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, invalid(file, "%v", err)
	}
	fs, err := openFeatureStream(file, func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil })
	if err != nil {
		return nil, nil, err
	}
	defer fs.Close()
	var out []feature
	for {
		f, err := fs.Next()
		if err == io.EOF {
			return out, b, nil
		}
		if err != nil {
			return nil, nil, err
		}
		out = append(out, f)
	}
}

// featureStream reads a GeoJSON FeatureCollection one feature at a time, with
// errors that name the line and column of a syntax error or the index of a
// bad feature. Geometry that cannot be a fact is refused (see checkGeometry),
// and a declared crs is honoured or refused (see declaredCRS): features come
// back in WGS 84 longitude and latitude. Every error is errs.Invalid naming
// the file.
type featureStream struct {
	file    string
	open    func() (io.ReadCloser, error)
	rc      io.ReadCloser
	sum     hash.Hash
	toWGS84 orb.Projection
	next    func() (rawFeature, bool)
	stop    func()
	walkErr error // the second pass's walk error, once next reports the end
	err     error // what Next returns from now on (io.EOF at the end)
}

// rawFeature is one element of features as written, at its offset in the file.
type rawFeature struct {
	index int
	raw   []byte // valid until the next one is read
	at    int64
}

// streamFeatures opens a GeoJSON file for reading feature by feature. The
// first pass over it (the prescan) runs here: a file that is not well-formed
// JSON, not a FeatureCollection or of a refused crs fails now.
func streamFeatures(file string) (*featureStream, error) {
	return openFeatureStream(file, func() (io.ReadCloser, error) { return os.Open(file) })
}

func openFeatureStream(file string, open func() (io.ReadCloser, error)) (*featureStream, error) {
	s := &featureStream{file: file, open: open, sum: sha256.New()}
	top, err := s.prescan()
	if err != nil {
		return nil, err
	}
	var typ string
	if len(top.typ) > 0 && json.Unmarshal(top.typ, &typ) != nil {
		return nil, invalid(file, "top-level type %s: want a GeoJSON FeatureCollection", top.typ)
	}
	if typ != "FeatureCollection" {
		return nil, invalid(file, "top-level type %q: want a GeoJSON FeatureCollection", typ)
	}
	if s.toWGS84, err = declaredCRS(top.crs); err != nil {
		return nil, invalid(file, "%v", err)
	}
	if s.rc, err = open(); err != nil {
		return nil, invalid(file, "%v", err)
	}
	sc := newJSONScanner(io.TeeReader(s.rc, s.sum))
	s.next, s.stop = iter.Pull(func(yield func(rawFeature) bool) {
		s.walkErr = walkCollection(sc, collectionVisitor{feature: func(i int, raw []byte, at int64) error {
			if !yield(rawFeature{index: i, raw: raw, at: at}) {
				return errStopped
			}
			return nil
		}})
	})
	return s, nil
}

// errStopped ends a walk whose reader has stopped reading.
var errStopped = errors.New("stopped")

// topLevel are the members of a FeatureCollection that say how to read its features.
type topLevel struct{ typ, crs json.RawMessage }

// prescan is the first pass: the structure of the whole file and the
// well-formedness of every value, keeping only the type and crs members.
func (s *featureStream) prescan() (topLevel, error) {
	var top topLevel
	rc, err := s.open()
	if err != nil {
		return top, invalid(s.file, "%v", err)
	}
	defer rc.Close()
	err = walkCollection(newJSONScanner(rc), collectionVisitor{
		check: true,
		member: func(key string, raw []byte, _ int64) error {
			switch strings.ToLower(key) {
			case "type":
				top.typ = bytes.Clone(raw)
			case "crs":
				top.crs = bytes.Clone(raw)
			}
			return nil
		},
		feature: func(int, []byte, int64) error { return nil },
	})
	if err != nil {
		return top, s.describe(err)
	}
	return top, nil
}

// Next returns the next feature, io.EOF after the last one (the whole file
// then read and hashed), or an input error naming the file and the feature.
// After an error it returns that error again.
func (s *featureStream) Next() (feature, error) {
	if s.err != nil {
		return feature{}, s.err
	}
	rf, ok := s.next()
	if !ok {
		s.err = io.EOF
		if s.walkErr != nil {
			s.err = s.describe(s.walkErr)
		}
		return feature{}, s.err
	}
	f, err := s.decode(rf)
	if err != nil {
		s.err = err
		s.stop()
	}
	return f, err
}

// SHA256 is the hex sha256 of the file, once Next has returned io.EOF.
func (s *featureStream) SHA256() string { return hex.EncodeToString(s.sum.Sum(nil)) }

// Close stops reading and closes the file.
func (s *featureStream) Close() error {
	s.stop()
	return s.rc.Close()
}

// decode reads one feature and refuses the geometry that cannot be a fact.
func (s *featureStream) decode(rf rawFeature) (feature, error) {
	i := rf.index
	f, err := geojson.UnmarshalFeature(rf.raw)
	if err != nil {
		// Only when the file changed since the prescan checked it.
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return feature{}, s.describe(&jsonError{off: rf.at + se.Offset, msg: se.Error(), syntax: true})
		}
		return feature{}, invalid(s.file, "feature %d: %v", i, err)
	}
	if f.Geometry == nil {
		return feature{}, invalid(s.file, "feature %d: no geometry", i)
	}
	if err := checkGeometry(rf.raw); err != nil {
		return feature{}, invalid(s.file, "feature %d: %v", i, err)
	}
	g := f.Geometry
	if s.toWGS84 != nil {
		g = project.Geometry(g, s.toWGS84)
	}
	return feature{index: i, geom: g, props: f.Properties}, nil
}

// describe turns a walk error into an input error naming the file and, for
// errors of JSON, the line and column, counted by reading the file again up
// to the error rather than by keeping it.
func (s *featureStream) describe(err error) error {
	var je *jsonError
	if !errors.As(err, &je) {
		return invalid(s.file, "%v", err)
	}
	off := je.off
	if je.truncated {
		off = math.MaxInt64
	}
	line, col, lerr := s.lineCol(off)
	switch {
	case lerr != nil:
		return invalid(s.file, "%s (at byte %d)", je.msg, je.off)
	case je.truncated:
		return invalid(s.file, "truncated JSON: the file ends at line %d before the document is complete", line)
	case je.syntax:
		return invalid(s.file, "malformed JSON at line %d, column %d: %s", line, col, je.msg)
	}
	return invalid(s.file, "line %d, column %d: %s", line, col, je.msg)
}

// lineCol finds the line and column (from 1) of the byte before offset off
// (an encoding/json error offset counts the offending byte), or of the end of
// the file when off lies beyond it.
func (s *featureStream) lineCol(off int64) (line, col int, err error) {
	rc, err := s.open()
	if err != nil {
		return 0, 0, err
	}
	defer rc.Close()
	line, lastNL := 1, int64(-1)
	var pos int64
	buf := make([]byte, 64<<10)
	for pos < off {
		n, rerr := rc.Read(buf[:min(int64(len(buf)), off-pos)])
		for i, c := range buf[:n] {
			if c == '\n' {
				line++
				lastNL = pos + int64(i)
			}
		}
		pos += int64(n)
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return 0, 0, rerr
		}
	}
	// off counts the offending byte: its column, from 1, is off-lastNL-1.
	return line, int(pos - lastNL - 1), nil
}

// jsonError is a problem of the JSON text at a byte offset.
type jsonError struct {
	off       int64 // bytes up to and including the offending one, as in json.SyntaxError
	msg       string
	syntax    bool // not JSON (else JSON, but not a FeatureCollection)
	truncated bool // the file ends inside the document
}

func (e *jsonError) Error() string { return fmt.Sprintf("%s at byte %d", e.msg, e.off) }

func syntaxErr(off int64, format string, args ...any) error {
	return &jsonError{off: off, msg: fmt.Sprintf(format, args...), syntax: true}
}

// collectionVisitor receives what walkCollection finds.
type collectionVisitor struct {
	check   bool                                         // check that each feature is well-formed JSON
	member  func(key string, raw []byte, at int64) error // a top-level member other than features; may be nil
	feature func(index int, raw []byte, at int64) error  // an element of features
}

// walkCollection walks a JSON object whose "features" member is an array,
// calling v for the members and the features, to the end of the input. It
// returns a *jsonError for input that is not JSON or whose features are not
// an array, the reader's error, or the first error of v.
func walkCollection(sc *jsonScanner, v collectionVisitor) error {
	c, ok := sc.peek()
	if !ok {
		return sc.endErr()
	}
	if c != '{' {
		if kind := jsonKind(c); kind != "" {
			return &jsonError{off: sc.off() + 1, msg: fmt.Sprintf("the top level is a JSON %s: want a GeoJSON FeatureCollection object", kind)}
		}
		return syntaxErr(sc.off()+1, "invalid character %q looking for beginning of value", rune(c))
	}
	sc.pos++
	var buf []byte
	seen := map[string]bool{}
	for first := true; ; first = false {
		c, ok := sc.peek()
		switch {
		case !ok:
			return sc.endErr()
		case c == '}' && first:
			sc.pos++
			return sc.end()
		case c != '"':
			return syntaxErr(sc.off()+1, "invalid character %q looking for beginning of object key string", rune(c))
		}
		at := sc.off()
		var err error
		if buf, err = sc.value(buf[:0]); err != nil {
			return refine(buf, at, err)
		}
		var key string
		if err := json.Unmarshal(buf, &key); err != nil {
			return jsonErrAt(err, at)
		}
		if c, ok = sc.peek(); !ok {
			return sc.endErr()
		}
		if c != ':' {
			return syntaxErr(sc.off()+1, "invalid character %q after object key", rune(c))
		}
		sc.pos++
		// encoding/json matches member names case-insensitively; so does the walk.
		if name := strings.ToLower(key); name == "type" || name == "crs" || name == "features" {
			if seen[name] {
				return &jsonError{off: at + 1, msg: fmt.Sprintf("member %q given twice: which one holds is ambiguous", key)}
			}
			seen[name] = true
		}
		if strings.EqualFold(key, "features") {
			if err := walkFeatures(sc, &buf, v); err != nil {
				return err
			}
		} else {
			if _, ok := sc.peek(); !ok {
				return sc.endErr()
			}
			at := sc.off()
			if buf, err = sc.value(buf[:0]); err != nil {
				return refine(buf, at, err)
			}
			if err := checkJSON(buf, at, sc); err != nil {
				return err
			}
			if v.member != nil {
				if err := v.member(key, buf, at); err != nil {
					return err
				}
			}
		}
		if c, ok = sc.peek(); !ok {
			return sc.endErr()
		}
		sc.pos++
		if c == '}' {
			return sc.end()
		}
		if c != ',' {
			return syntaxErr(sc.off(), "invalid character %q after object key:value pair", rune(c))
		}
	}
}

// walkFeatures walks the value of features: an array, or null for none.
func walkFeatures(sc *jsonScanner, buf *[]byte, v collectionVisitor) error {
	c, ok := sc.peek()
	if !ok {
		return sc.endErr()
	}
	at := sc.off()
	if c != '[' {
		var err error
		if *buf, err = sc.value((*buf)[:0]); err != nil {
			return refine(*buf, at, err)
		}
		if err := checkJSON(*buf, at, sc); err != nil || string(*buf) == "null" {
			return err // null: no features, as encoding/json reads it
		}
		return &jsonError{off: at + 1, msg: fmt.Sprintf("features is a JSON %s: want an array of features", jsonKind(c))}
	}
	sc.pos++
	if c, ok = sc.peek(); ok && c == ']' {
		sc.pos++
		return nil
	}
	for i := 0; ; i++ {
		if _, ok := sc.peek(); !ok {
			return sc.endErr()
		}
		at := sc.off()
		var err error
		if *buf, err = sc.value((*buf)[:0]); err != nil {
			return refine(*buf, at, err)
		}
		if v.check {
			if err := checkJSON(*buf, at, sc); err != nil {
				return err
			}
		}
		if err := v.feature(i, *buf, at); err != nil {
			return err
		}
		if c, ok = sc.peek(); !ok {
			return sc.endErr()
		}
		sc.pos++
		if c == ']' {
			return nil
		}
		if c != ',' {
			return syntaxErr(sc.off(), "invalid character %q after array element", rune(c))
		}
	}
}

// jsonKind names the kind of JSON value that starts with c, "" if none does.
func jsonKind(c byte) string {
	switch {
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == '"':
		return "string"
	case c == 't' || c == 'f':
		return "boolean"
	case c == 'n':
		return "null"
	case c == '-' || c >= '0' && c <= '9':
		return "number"
	}
	return ""
}

// checkJSON checks that raw, a value the walk delimited at offset at, is
// well-formed JSON. A number or literal ends where the walk found a delimiter,
// and encoding/json, given that delimiter too, reports "tru," at the comma
// as it would in the whole text; one that the end of the file cuts short is
// a truncated file.
func checkJSON(raw []byte, at int64, sc *jsonScanner) error {
	if json.Valid(raw) {
		return nil
	}
	var m json.RawMessage
	if c := raw[0]; c != '{' && c != '[' && c != '"' {
		if sc.pos == len(sc.buf) {
			var se *json.SyntaxError
			if errors.As(json.Unmarshal(raw, &m), &se) && se.Offset < int64(len(raw)) {
				return syntaxErr(at+se.Offset, "%s", se.Error())
			}
			return sc.endErr()
		}
		raw = append(raw[:len(raw):len(raw)], sc.buf[sc.pos])
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return jsonErrAt(err, at)
	}
	return syntaxErr(at+int64(len(raw)), "invalid value")
}

// refine makes a scanner error inside a value (a bracket that does not match,
// the end of the file) as precise as encoding/json: raw holds the value up to
// and including the byte the scanner stopped at, and encoding/json may find
// an earlier error in it.
func refine(raw []byte, at int64, err error) error {
	var je *jsonError
	if !errors.As(err, &je) {
		return err // the reader failed
	}
	var m json.RawMessage
	var se *json.SyntaxError
	if jerr := json.Unmarshal(raw, &m); errors.As(jerr, &se) && se.Error() != errJSONEnd {
		return jsonErrAt(jerr, at)
	}
	return err
}

// errJSONEnd is encoding/json's message for a value cut short.
const errJSONEnd = "unexpected end of JSON input"

// jsonErrAt places an encoding/json error in a value at offset at in the file.
func jsonErrAt(err error, at int64) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return syntaxErr(at+se.Offset, "%s", se.Error())
	}
	if err != nil {
		return &jsonError{off: at + 1, msg: err.Error()}
	}
	return nil
}

// maxDepth is how deeply values may nest, as in encoding/json.
const maxDepth = 10000

// jsonScanner delimits JSON values in a stream: it knows strings and
// brackets, and leaves the rest to encoding/json.
type jsonScanner struct {
	r     io.Reader
	buf   []byte // buf[pos:] is read but not yet consumed
	pos   int
	base  int64 // offset in the input of buf[0]
	rerr  error // the reader's error, io.EOF at the end
	stack []byte
}

func newJSONScanner(r io.Reader) *jsonScanner {
	return &jsonScanner{r: r, buf: make([]byte, 0, 256<<10)}
}

// off is the input offset of the next byte.
func (s *jsonScanner) off() int64 { return s.base + int64(s.pos) }

// fill reads more input once the buffer is consumed; false at the end or on
// a read error (s.rerr).
func (s *jsonScanner) fill() bool {
	for s.rerr == nil {
		s.base += int64(len(s.buf))
		s.pos = 0
		n, err := s.r.Read(s.buf[:cap(s.buf)])
		s.buf = s.buf[:n]
		s.rerr = err
		if n > 0 {
			return true
		}
	}
	return false
}

// peek skips white space and returns the next byte without consuming it.
func (s *jsonScanner) peek() (byte, bool) {
	for {
		for ; s.pos < len(s.buf); s.pos++ {
			switch c := s.buf[s.pos]; c {
			case ' ', '\t', '\n', '\r':
			default:
				return c, true
			}
		}
		if !s.fill() {
			return 0, false
		}
	}
}

// endErr is the error for input that stops where more is needed.
func (s *jsonScanner) endErr() error {
	if s.rerr != nil && s.rerr != io.EOF {
		return s.rerr
	}
	return &jsonError{off: s.off(), msg: errJSONEnd, syntax: true, truncated: true}
}

// end checks that nothing but white space follows the top-level value.
func (s *jsonScanner) end() error {
	if c, ok := s.peek(); ok {
		return syntaxErr(s.off()+1, "invalid character %q after top-level value", rune(c))
	}
	if s.rerr != io.EOF {
		return s.rerr
	}
	return nil
}

// value appends the next value (after white space) to out. An object or
// array ends at its matching bracket, a string at its closing quote, and
// anything else (a number, a literal) before the next delimiter; a bracket
// that closes the wrong kind, nesting deeper than maxDepth or the end of the
// input is a *jsonError (out then ends with the byte at fault).
func (s *jsonScanner) value(out []byte) ([]byte, error) {
	c, ok := s.peek()
	if !ok {
		return out, s.endErr()
	}
	if c != '{' && c != '[' && c != '"' {
		return s.scalar(out)
	}
	s.stack = s.stack[:0]
	inString, escaped := false, false
	for {
		if s.pos == len(s.buf) && !s.fill() {
			return out, s.endErr()
		}
		b := s.buf[s.pos:]
		if inString {
			if escaped {
				out = append(out, b[0])
				s.pos++
				escaped = false
				continue
			}
			i := bytes.IndexAny(b, `"\`)
			if i < 0 {
				out = append(out, b...)
				s.pos += len(b)
				continue
			}
			out = append(out, b[:i+1]...)
			s.pos += i + 1
			if b[i] == '\\' {
				escaped = true
				continue
			}
			inString = false
			if len(s.stack) == 0 {
				return out, nil // a string value
			}
			continue
		}
		i := bytes.IndexAny(b, `"{}[]`)
		if i < 0 {
			out = append(out, b...)
			s.pos += len(b)
			continue
		}
		c := b[i]
		out = append(out, b[:i+1]...)
		s.pos += i + 1
		switch c {
		case '"':
			inString = true
		case '{', '[':
			if len(s.stack) == maxDepth {
				return out, syntaxErr(s.off(), "exceeded max depth")
			}
			s.stack = append(s.stack, c)
		default: // '}', ']'
			if len(s.stack) == 0 || (s.stack[len(s.stack)-1] == '{') != (c == '}') {
				return out, syntaxErr(s.off(), "invalid character %q", rune(c))
			}
			s.stack = s.stack[:len(s.stack)-1]
			if len(s.stack) == 0 {
				return out, nil
			}
		}
	}
}

// scalar appends a number or literal: the bytes up to a delimiter.
func (s *jsonScanner) scalar(out []byte) ([]byte, error) {
	start := len(out)
	for {
		for ; s.pos < len(s.buf); s.pos++ {
			c := s.buf[s.pos]
			switch c {
			case ' ', '\t', '\n', '\r', ',', ':', '[', ']', '{', '}', '"':
				if len(out) == start {
					return out, syntaxErr(s.off()+1, "invalid character %q looking for beginning of value", rune(c))
				}
				return out, nil
			}
			out = append(out, c)
		}
		if !s.fill() {
			if s.rerr != io.EOF || len(out) == start {
				return out, s.endErr()
			}
			return out, nil
		}
	}
}

// rawGeometry is a GeoJSON geometry with its positions as they were written:
// orb's decoder fills a position into [2]float64, silently dropping a third
// number and zero-filling a missing second one.
type rawGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
	Geometries  []rawGeometry   `json:"geometries"`
}

// checkGeometry refuses the positions and rings of a feature that cannot be a
// fact, naming the field ("geometry.coordinates[0]"):
//   - a position with other than two numbers. A third (altitude) or fourth
//     (measure) number is refused, not dropped: aimaq is 2D throughout, and
//     refusing keeps every GeoJSON importer alike and the file unambiguous
//     (ogr2ogr -dim XY drops them);
//   - a polygon ring of fewer than 4 positions or whose last position is not
//     its first (RFC 7946 §3.1.6): PostGIS would stop the import with its own
//     error, and closing it for the user would invent an edge.
func checkGeometry(rawFeature []byte) error {
	var f struct {
		Geometry rawGeometry `json:"geometry"`
	}
	if err := json.Unmarshal(rawFeature, &f); err != nil {
		return fmt.Errorf("geometry: %v", err)
	}
	return f.Geometry.check("geometry")
}

func (g rawGeometry) check(at string) error {
	path := at + ".coordinates"
	var err error
	switch g.Type {
	case "Point":
		var p []float64
		if err = json.Unmarshal(g.Coordinates, &p); err == nil {
			return checkPosition(path, p)
		}
	case "MultiPoint", "LineString":
		var ps [][]float64
		if err = json.Unmarshal(g.Coordinates, &ps); err == nil {
			return checkPositions(path, ps)
		}
	case "MultiLineString":
		var ls [][][]float64
		if err = json.Unmarshal(g.Coordinates, &ls); err == nil {
			for i, l := range ls {
				if err := checkPositions(fmt.Sprintf("%s[%d]", path, i), l); err != nil {
					return err
				}
			}
			return nil
		}
	case "Polygon":
		var rings [][][]float64
		if err = json.Unmarshal(g.Coordinates, &rings); err == nil {
			return checkPolygon(path, rings)
		}
	case "MultiPolygon":
		var polys [][][][]float64
		if err = json.Unmarshal(g.Coordinates, &polys); err == nil {
			for i, rings := range polys {
				if err := checkPolygon(fmt.Sprintf("%s[%d]", path, i), rings); err != nil {
					return err
				}
			}
			return nil
		}
	case "GeometryCollection":
		for i, m := range g.Geometries {
			if err := m.check(fmt.Sprintf("%s.geometries[%d]", at, i)); err != nil {
				return err
			}
		}
		return nil
	default:
		return fmt.Errorf("geometry: unknown type %q", g.Type)
	}
	return fmt.Errorf("%s: %v", path, err)
}

func checkPolygon(path string, rings [][][]float64) error {
	for i, r := range rings {
		rp := fmt.Sprintf("%s[%d]", path, i)
		if err := checkPositions(rp, r); err != nil {
			return err
		}
		if len(r) < 4 {
			return fmt.Errorf("%s: ring of %d positions: a ring needs at least 4, the last repeating the first", rp, len(r))
		}
		if first, last := r[0], r[len(r)-1]; first[0] != last[0] || first[1] != last[1] {
			return fmt.Errorf("%s: ring not closed: it starts at %v and ends at %v; the last position must repeat the first", rp, first, last)
		}
	}
	return nil
}

func checkPositions(path string, ps [][]float64) error {
	for i, p := range ps {
		if err := checkPosition(fmt.Sprintf("%s[%d]", path, i), p); err != nil {
			return err
		}
	}
	return nil
}

func checkPosition(path string, p []float64) error {
	switch {
	case len(p) < 2:
		return fmt.Errorf("%s: position %v has %d number(s): want longitude and latitude", path, p, len(p))
	case len(p) > 2:
		return fmt.Errorf("%s: position %v has %d numbers: aimaq reads longitude and latitude only and refuses altitude or measure rather than drop them; write 2D positions (ogr2ogr -dim XY)", path, p, len(p))
	}
	return nil
}

// str returns a string property, or "" when it is absent or null.
func str(p geojson.Properties, key string) string {
	switch v := p[key].(type) {
	case string:
		return v
	case float64:
		return fmt.Sprintf("%.0f", v)
	}
	return ""
}

// nullable returns nil for "" so empty names are stored as NULL.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func toWKB(g orb.Geometry) ([]byte, error) {
	return wkb.Marshal(g)
}

// featureRows feeds COPY from a feature stream: rows turns each feature into
// the rows it stages (none, one, or one per part). The first error, of the
// file or of a feature, stops the COPY and stays in err: pgx reports it only
// as the server's "COPY failed", so callers return err when it is set.
type featureRows struct {
	fs       *featureStream
	rows     func(feature) ([][]any, error)
	mem      *memPeak // sampled every 65,536 features when set
	pending  [][]any
	cur      []any
	features int // features read
	n        int // rows given
	err      error
}

func (s *featureRows) Next() bool {
	for len(s.pending) == 0 {
		if s.err != nil {
			return false
		}
		f, err := s.fs.Next()
		if err == io.EOF {
			return false
		}
		if err != nil {
			s.err = err
			return false
		}
		s.features++
		if s.mem != nil && s.features&0xffff == 0 {
			s.mem.sample()
		}
		if s.pending, err = s.rows(f); err != nil {
			s.err = err
			return false
		}
	}
	s.cur, s.pending = s.pending[0], s.pending[1:]
	s.n++
	return true
}

func (s *featureRows) Values() ([]any, error) { return s.cur, nil }
func (s *featureRows) Err() error             { return s.err }

// recordSHA256 stores the hash of a streamed file in its import_run row:
// inTx hashes the bytes it is given, and a stream is hashed only once read.
func recordSHA256(ctx context.Context, tx pgx.Tx, runID int64, fs *featureStream) error {
	_, err := tx.Exec(ctx, `UPDATE import_run SET sha256 = $2 WHERE id = $1`, runID, fs.SHA256())
	return err
}
