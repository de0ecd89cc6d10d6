package web

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/gorilla/mux"
)

// openAPIDoc is the part of an OpenAPI 3.0 document the tests check.
type openAPIDoc struct {
	OpenAPI string `json:"openapi"`
	Info    *struct {
		Title   string `json:"title"`
		Version string `json:"version"`
	} `json:"info"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Parameters map[string]openAPIParam `json:"parameters"`
	} `json:"components"`
}

type openAPIParam struct {
	Ref      string          `json:"$ref"`
	Name     string          `json:"name"`
	In       string          `json:"in"`
	Required bool            `json:"required"`
	Schema   json.RawMessage `json:"schema"`
}

type openAPIOperation struct {
	OperationID string                     `json:"operationId"`
	Parameters  []openAPIParam             `json:"parameters"`
	Responses   map[string]json.RawMessage `json:"responses"`
}

func loadOpenAPI(t *testing.T) openAPIDoc {
	t.Helper()
	var doc openAPIDoc
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	return doc
}

// resolve follows a parameter's $ref into components.parameters.
func (d openAPIDoc) resolve(t *testing.T, p openAPIParam) openAPIParam {
	t.Helper()
	if p.Ref == "" {
		return p
	}
	name, ok := strings.CutPrefix(p.Ref, "#/components/parameters/")
	q, found := d.Components.Parameters[name]
	if !ok || !found {
		t.Errorf("parameter $ref %q does not resolve", p.Ref)
	}
	return q
}

// TestOpenAPIStructure checks the document is an OpenAPI 3.0 description:
// version, info, paths, and for every operation a unique id, responses,
// resolvable parameters and a path parameter for each {name} of its path.
func TestOpenAPIStructure(t *testing.T) {
	doc := loadOpenAPI(t)
	if !regexp.MustCompile(`^3\.0\.\d+$`).MatchString(doc.OpenAPI) {
		t.Errorf("openapi = %q, want 3.0.x", doc.OpenAPI)
	}
	if doc.Info == nil || doc.Info.Title == "" || doc.Info.Version == "" {
		t.Errorf("info = %+v, want title and version", doc.Info)
	}
	if len(doc.Paths) == 0 {
		t.Fatal("no paths")
	}
	var raw map[string]any
	_ = json.Unmarshal(openAPI, &raw)
	ids := map[string]string{}
	for path, item := range doc.Paths {
		if !strings.HasPrefix(path, "/") {
			t.Errorf("path %q does not start with /", path)
		}
		if len(item) == 0 {
			t.Errorf("%s has no operations", path)
		}
		for method, body := range item {
			switch method {
			case "get", "put", "post", "delete", "options", "head", "patch", "trace":
			default:
				t.Errorf("%s: %q is not an operation", path, method)
				continue
			}
			var op openAPIOperation
			if err := json.Unmarshal(body, &op); err != nil {
				t.Errorf("%s %s: %v", method, path, err)
				continue
			}
			if len(op.Responses) == 0 {
				t.Errorf("%s %s has no responses", method, path)
			}
			for code := range op.Responses {
				if !regexp.MustCompile(`^([1-5]\d\d|[1-5]XX|default)$`).MatchString(code) {
					t.Errorf("%s %s: response key %q", method, path, code)
				}
			}
			if op.OperationID == "" {
				t.Errorf("%s %s has no operationId", method, path)
			} else if other, dup := ids[op.OperationID]; dup {
				t.Errorf("operationId %s on both %s and %s", op.OperationID, other, path)
			}
			ids[op.OperationID] = path
			inPath := map[string]bool{}
			for _, p := range op.Parameters {
				p = doc.resolve(t, p)
				if p.Name == "" || len(p.Schema) == 0 {
					t.Errorf("%s %s: parameter %+v lacks a name or schema", method, path, p)
				}
				switch p.In {
				case "path":
					if !p.Required {
						t.Errorf("%s %s: path parameter %s must be required", method, path, p.Name)
					}
					inPath[p.Name] = true
				case "query", "header", "cookie":
				default:
					t.Errorf("%s %s: parameter %s in %q", method, path, p.Name, p.In)
				}
			}
			for _, name := range pathParams(path) {
				if !inPath[name] {
					t.Errorf("%s %s: {%s} has no path parameter", method, path, name)
				}
				delete(inPath, name)
			}
			for name := range inPath {
				t.Errorf("%s %s: path parameter %s is not in the path", method, path, name)
			}
		}
	}
	checkRefs(t, raw, raw)
}

// checkRefs fails for every local $ref in v that does not resolve in doc.
func checkRefs(t *testing.T, doc, v any) {
	t.Helper()
	switch v := v.(type) {
	case map[string]any:
		if ref, ok := v["$ref"].(string); ok {
			var at any = doc
			for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
				m, _ := at.(map[string]any)
				at = m[part]
			}
			if !strings.HasPrefix(ref, "#/") || at == nil {
				t.Errorf("$ref %q does not resolve", ref)
			}
		}
		for _, x := range v {
			checkRefs(t, doc, x)
		}
	case []any:
		for _, x := range v {
			checkRefs(t, doc, x)
		}
	}
}

var pathParamRE = regexp.MustCompile(`\{([^}:]+)(?::([^}]*))?\}`)

func pathParams(path string) []string {
	var out []string
	for _, m := range pathParamRE.FindAllStringSubmatch(path, -1) {
		out = append(out, m[1])
	}
	return out
}

// routePaths turns a gorilla/mux path template into the OpenAPI paths it
// stands for: a variable whose pattern is a list of literals
// ({format:mvt|pbf}) becomes one path per literal; other patterns drop
// to {name}.
func routePaths(tpl string) []string {
	m := pathParamRE.FindStringSubmatchIndex(tpl)
	if m == nil {
		return []string{tpl}
	}
	before, after := tpl[:m[0]], tpl[m[1]:]
	name := tpl[m[2]:m[3]]
	var heads []string
	if m[4] >= 0 && regexp.MustCompile(`^[A-Za-z0-9_.-]+(\|[A-Za-z0-9_.-]+)*$`).MatchString(tpl[m[4]:m[5]]) {
		for _, lit := range strings.Split(tpl[m[4]:m[5]], "|") {
			heads = append(heads, before+lit)
		}
	} else {
		heads = []string{before + "{" + name + "}"}
	}
	var out []string
	for _, h := range heads {
		for _, tail := range routePaths(after) {
			out = append(out, h+tail)
		}
	}
	return out
}

func TestRoutePaths(t *testing.T) {
	for tpl, want := range map[string]string{
		"/healthz":            "/healthz",
		"/tiles/{layer}.json": "/tiles/{layer}.json",
		"/tiles/{layer}/{z}/{x}/{y}.{format:mvt|pbf}": "/tiles/{layer}/{z}/{x}/{y}.mvt /tiles/{layer}/{z}/{x}/{y}.pbf",
		"/a/{id:[0-9]+}/{k:x|y}":                      "/a/{id}/x /a/{id}/y",
	} {
		if got := strings.Join(routePaths(tpl), " "); got != want {
			t.Errorf("routePaths(%q) = %q, want %q", tpl, got, want)
		}
	}
}

// TestOpenAPIMatchesRoutes walks the live router: every route is described
// with its methods, and every described path is a route, so the
// description cannot drift from the code.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc := loadOpenAPI(t)
	s, _ := newTestServer(t, Options{Tiles: &fakeSource{}})
	routed := map[string][]string{} // OpenAPI path → methods
	err := s.router().Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		tpl, err := route.GetPathTemplate()
		if err != nil {
			return nil // a route without a path (none today)
		}
		methods, _ := route.GetMethods()
		for _, p := range routePaths(tpl) {
			routed[p] = append(routed[p], methods...)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var undocumented, unrouted []string
	for p, methods := range routed {
		item, ok := doc.Paths[p]
		if !ok {
			undocumented = append(undocumented, p)
			continue
		}
		for _, m := range methods {
			if m == http.MethodHead {
				continue // every GET answers HEAD; OpenAPI 3.0 has no head-only need
			}
			if _, ok := item[strings.ToLower(m)]; !ok {
				t.Errorf("%s %s is routed but not described", m, p)
			}
		}
		for m := range item {
			if !slices.Contains(methods, strings.ToUpper(m)) {
				t.Errorf("%s %s is described but not routed (methods %v)", strings.ToUpper(m), p, methods)
			}
		}
	}
	for p := range doc.Paths {
		if _, ok := routed[p]; !ok {
			unrouted = append(unrouted, p)
		}
	}
	sort.Strings(undocumented)
	sort.Strings(unrouted)
	for _, p := range undocumented {
		t.Errorf("route %s is not in openapi.json", p)
	}
	for _, p := range unrouted {
		t.Errorf("openapi.json describes %s, which no route serves", p)
	}
}

func TestOpenAPIServed(t *testing.T) {
	s, _ := newTestServer(t, Options{Tiles: &fakeSource{}})
	h := s.routes()
	rec := do(t, h, "GET", "/openapi.json")
	if rec.Code != 200 {
		t.Fatalf("GET /openapi.json = %d %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/vnd.oai.openapi+json;version=3.0" {
		t.Errorf("Content-Type = %q", ct)
	}
	if !json.Valid(rec.Body.Bytes()) || rec.Body.Len() != len(openAPI) {
		t.Errorf("body is not the embedded document")
	}
	if rec := do(t, h, "GET", "/openapi.json", "If-None-Match", rec.Header().Get("ETag")); rec.Code != 304 {
		t.Errorf("conditional GET = %d, want 304", rec.Code)
	}
}
