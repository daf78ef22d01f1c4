package web

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
)

// The OpenAPI 3.1 description of the JSON API: served as it is at
// GET /api/v1/openapi.json, rendered as HTML at GET /api, and checked
// against every API exchange of the tests (internal/apitest). It is the one
// source of truth of the API's shape.
//
//go:embed openapi.json
var openapiJSON []byte

// OpenAPI returns the OpenAPI document of the API (JSON); callers must not
// modify it.
func OpenAPI() []byte { return openapiJSON }

var openapiETag = func() string {
	sum := sha256.Sum256(openapiJSON)
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}()

// handleOpenAPI serves the document, revalidated by its ETag.
func (s *Server) handleOpenAPI(c *gin.Context) {
	c.Header("ETag", openapiETag)
	c.Header("Cache-Control", "no-cache")
	if c.GetHeader("If-None-Match") == openapiETag {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, "application/json", openapiJSON)
}

// handleAPIPage renders the document for people.
func (s *Server) handleAPIPage(c *gin.Context) {
	v := *s.apiDoc
	v.baseView = s.base(c, "API")
	s.render(c, http.StatusOK, "api.html", v)
}

// The parts of an OpenAPI document the page shows.
type oaDoc struct {
	Info struct {
		Title       string `json:"title"`
		Summary     string `json:"summary"`
		Description string `json:"description"`
	} `json:"info"`
	Tags []struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	} `json:"tags"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas    map[string]oaSchema   `json:"schemas"`
		Parameters map[string]oaParam    `json:"parameters"`
		Responses  map[string]oaResponse `json:"responses"`
		Headers    map[string]oaHeader   `json:"headers"`
	} `json:"components"`
}

type oaOperation struct {
	OperationID string                `json:"operationId"`
	Summary     string                `json:"summary"`
	Description string                `json:"description"`
	Tags        []string              `json:"tags"`
	Parameters  []oaParam             `json:"parameters"`
	Responses   map[string]oaResponse `json:"responses"`
	Security    []map[string][]string `json:"security"`
}

type oaParam struct {
	Ref         string    `json:"$ref"`
	Name        string    `json:"name"`
	In          string    `json:"in"`
	Description string    `json:"description"`
	Required    bool      `json:"required"`
	Schema      *oaSchema `json:"schema"`
}

type oaResponse struct {
	Ref         string                                `json:"$ref"`
	Description string                                `json:"description"`
	Headers     map[string]oaHeader                   `json:"headers"`
	Content     map[string]struct{ Schema *oaSchema } `json:"content"`
}

type oaHeader struct {
	Ref         string    `json:"$ref"`
	Description string    `json:"description"`
	Required    bool      `json:"required"`
	Schema      *oaSchema `json:"schema"`
}

type oaSchema struct {
	Ref                  string              `json:"$ref"`
	Type                 json.RawMessage     `json:"type"` // a string or a list
	Format               string              `json:"format"`
	Description          string              `json:"description"`
	Enum                 []any               `json:"enum"`
	Default              any                 `json:"default"`
	Minimum              *float64            `json:"minimum"`
	Maximum              *float64            `json:"maximum"`
	MaxLength            *int                `json:"maxLength"`
	Pattern              string              `json:"pattern"`
	Items                *oaSchema           `json:"items"`
	Properties           map[string]oaSchema `json:"properties"`
	Required             []string            `json:"required"`
	AdditionalProperties json.RawMessage     `json:"additionalProperties"` // false or a schema
	OneOf                []oaSchema          `json:"oneOf"`
	AnyOf                []oaSchema          `json:"anyOf"`
}

// apiView is the data of api.html.
type apiView struct {
	baseView
	Summary, Description string
	Tags                 []apiTagView
	Schemas              []apiSchemaView
}

type apiTagView struct {
	Name, Description string
	Ops               []apiOpView
}

type apiOpView struct {
	ID, Method, Path, Summary, Description string
	Auth                                   string
	Params                                 []apiFieldView
	Responses                              []apiResponseView
}

type apiFieldView struct {
	Name, In    string
	Type        []typePart
	Required    bool
	Constraints string
	Description string
}

type apiResponseView struct {
	Status, Description string
	Bodies              []apiBodyView
	Headers             []apiFieldView
}

type apiBodyView struct {
	MediaType string
	Type      []typePart
}

type apiSchemaView struct {
	Name, Description string
	Type              []typePart
	Fields            []apiFieldView
}

// typePart is a piece of a type's description; Ref, when set, names the
// schema it links to.
type typePart struct{ Text, Ref string }

// parseAPIDoc reads the document into the page's view.
func parseAPIDoc(b []byte) (*apiView, error) {
	var d oaDoc
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	v := &apiView{Summary: d.Info.Summary, Description: d.Info.Description}
	byTag := map[string]int{}
	for _, t := range d.Tags {
		byTag[t.Name] = len(v.Tags)
		v.Tags = append(v.Tags, apiTagView{Name: t.Name, Description: t.Description})
	}
	paths := slices.Sorted(maps.Keys(d.Paths))
	for _, p := range paths {
		methods := slices.SortedFunc(maps.Keys(d.Paths[p]), func(a, b string) int { return methodRank(a) - methodRank(b) })
		for _, m := range methods {
			var op oaOperation
			if err := json.Unmarshal(d.Paths[p][m], &op); err != nil {
				return nil, fmt.Errorf("openapi: %s %s: %w", m, p, err)
			}
			ov, err := d.operationView(strings.ToUpper(m), p, op)
			if err != nil {
				return nil, err
			}
			tag := ""
			if len(op.Tags) > 0 {
				tag = op.Tags[0]
			}
			i, ok := byTag[tag]
			if !ok {
				return nil, fmt.Errorf("openapi: %s %s: unknown tag %q", m, p, tag)
			}
			v.Tags[i].Ops = append(v.Tags[i].Ops, ov)
		}
	}
	names := slices.Sorted(maps.Keys(d.Components.Schemas))
	for _, n := range names {
		s := d.Components.Schemas[n]
		sv := apiSchemaView{Name: n, Description: s.Description, Type: typeOf(&s)}
		sv.Fields = fieldsOf(&s)
		if s.Items != nil && len(s.Items.Properties) > 0 {
			sv.Fields = fieldsOf(s.Items)
		}
		v.Schemas = append(v.Schemas, sv)
	}
	return v, nil
}

func methodRank(m string) int {
	return slices.Index([]string{"get", "head", "post", "put", "patch", "delete"}, m)
}

func refName(ref string) string { return ref[strings.LastIndex(ref, "/")+1:] }

func (d *oaDoc) operationView(method, path string, op oaOperation) (apiOpView, error) {
	ov := apiOpView{ID: op.OperationID, Method: method, Path: path, Summary: op.Summary, Description: op.Description}
	for _, sec := range op.Security {
		if len(sec) == 0 {
			ov.Auth = "a bearer token when the server is given one"
			continue
		}
		if ov.Auth == "" {
			ov.Auth = "a bearer token"
		}
	}
	for _, p := range op.Parameters {
		if p.Ref != "" {
			rp, ok := d.Components.Parameters[refName(p.Ref)]
			if !ok {
				return ov, fmt.Errorf("openapi: %s %s: no parameter %s", method, path, p.Ref)
			}
			p = rp
		}
		ov.Params = append(ov.Params, apiFieldView{Name: p.Name, In: p.In, Type: typeOf(p.Schema), Required: p.Required,
			Constraints: constraintsOf(p.Schema), Description: p.Description})
	}
	codes := slices.Sorted(maps.Keys(op.Responses))
	for _, code := range codes {
		r := op.Responses[code]
		if r.Ref != "" {
			rr, ok := d.Components.Responses[refName(r.Ref)]
			if !ok {
				return ov, fmt.Errorf("openapi: %s %s: no response %s", method, path, r.Ref)
			}
			r = rr
		}
		rv := apiResponseView{Status: code, Description: r.Description}
		types := slices.Sorted(maps.Keys(r.Content))
		for _, mt := range types {
			rv.Bodies = append(rv.Bodies, apiBodyView{MediaType: mt, Type: typeOf(r.Content[mt].Schema)})
		}
		hs := slices.Sorted(maps.Keys(r.Headers))
		for _, name := range hs {
			h := r.Headers[name]
			if h.Ref != "" {
				h = d.Components.Headers[refName(h.Ref)]
			}
			rv.Headers = append(rv.Headers, apiFieldView{Name: name, Type: typeOf(h.Schema), Required: h.Required, Description: h.Description})
		}
		ov.Responses = append(ov.Responses, rv)
	}
	return ov, nil
}

// fieldsOf lists the properties of an object schema, in name order.
func fieldsOf(s *oaSchema) []apiFieldView {
	names := slices.Sorted(maps.Keys(s.Properties))
	var out []apiFieldView
	for _, n := range names {
		p := s.Properties[n]
		out = append(out, apiFieldView{Name: n, Type: typeOf(&p), Required: slices.Contains(s.Required, n),
			Constraints: constraintsOf(&p), Description: p.Description})
	}
	return out
}

// typeOf describes a schema's type in words, linking the named schemas.
func typeOf(s *oaSchema) []typePart {
	if s == nil {
		return []typePart{{Text: "any"}}
	}
	if s.Ref != "" {
		return []typePart{{Text: refName(s.Ref), Ref: refName(s.Ref)}}
	}
	alts := s.OneOf
	if len(alts) == 0 {
		alts = s.AnyOf
	}
	if len(alts) > 0 {
		var out []typePart
		for i := range alts {
			if i > 0 {
				out = append(out, typePart{Text: " or "})
			}
			out = append(out, typeOf(&alts[i])...)
		}
		return out
	}
	var types []string
	if len(s.Type) > 0 && s.Type[0] == '[' {
		_ = json.Unmarshal(s.Type, &types)
	} else if len(s.Type) > 0 {
		var t string
		_ = json.Unmarshal(s.Type, &t)
		types = []string{t}
	}
	var out []typePart
	for i, t := range types {
		if i > 0 {
			out = append(out, typePart{Text: " or "})
		}
		switch {
		case t == "array" && s.Items != nil:
			out = append(out, typePart{Text: "array of "})
			out = append(out, typeOf(s.Items)...)
		case t == "object" && len(s.AdditionalProperties) > 0 && s.AdditionalProperties[0] == '{':
			var ap oaSchema
			_ = json.Unmarshal(s.AdditionalProperties, &ap)
			out = append(out, typePart{Text: "map of "})
			out = append(out, typeOf(&ap)...)
		case s.Format != "" && t == "string":
			out = append(out, typePart{Text: "string (" + s.Format + ")"})
		default:
			out = append(out, typePart{Text: t})
		}
	}
	if len(out) == 0 {
		out = []typePart{{Text: "any"}}
	}
	return out
}

// constraintsOf says in words what values a schema takes beyond its type.
func constraintsOf(s *oaSchema) string {
	if s == nil {
		return ""
	}
	var parts []string
	if len(s.Enum) > 0 {
		vals := make([]string, len(s.Enum))
		for i, e := range s.Enum {
			vals[i] = fmt.Sprint(e)
			if vals[i] == "" {
				vals[i] = `""`
			}
		}
		parts = append(parts, "one of "+strings.Join(vals, ", "))
	}
	if s.Items != nil && len(s.Items.Enum) > 0 {
		parts = append(parts, constraintsOf(s.Items))
	}
	if s.Minimum != nil && s.Maximum != nil {
		parts = append(parts, fmt.Sprintf("%g–%g", *s.Minimum, *s.Maximum))
	}
	if s.MaxLength != nil {
		parts = append(parts, fmt.Sprintf("at most %d bytes", *s.MaxLength))
	}
	if s.Default != nil {
		parts = append(parts, fmt.Sprintf("default %v", s.Default))
	}
	return strings.Join(parts, "; ")
}
