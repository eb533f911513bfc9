// Package msspec checks Microsoft Graph traffic against Microsoft's own
// description of it: JSON bodies against a JSON Schema of exactly the
// request and response shapes InterviewPlanner uses (derived from the Graph
// docs and the official metadata, each definition naming its source), and
// entities against the official Graph v1.0 CSDL (embedded compressed,
// byte-identical to Microsoft's cleanMetadata.xml): every property must be
// declared on the type or one of its base types, with an allowed enum value.
package msspec

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed graph-calendar-subset.schema.json
var schemaJSON []byte

//go:embed graph-v1.0-csdl.xml.gz
var csdlGz []byte

const schemaURL = "https://interviewplanner.invalid/graph-calendar-subset.schema.json"

// CSDL returns the official metadata document, as Microsoft publishes it.
func CSDL() ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(csdlGz))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// Schema is the derived JSON Schema.
func Schema() []byte { return schemaJSON }

var schemas = struct {
	sync.Mutex
	c *jsonschema.Compiler
	m map[string]*jsonschema.Schema
}{}

// mendSchema relaxes the one rule tests and the demo cannot keep: Graph
// delivers notifications to HTTPS only; on loopback the emulator delivers
// over plain HTTP, so loopback http:// is allowed too.
func mendSchema(doc any) {
	defs := doc.(map[string]any)["$defs"].(map[string]any)
	props := defs["subscriptionCreateRequest"].(map[string]any)["properties"].(map[string]any)
	for _, k := range []string{"notificationUrl", "lifecycleNotificationUrl"} {
		props[k].(map[string]any)["pattern"] = `^(https://|http://(127\.0\.0\.1|localhost)[:/])`
	}
}

func compiled(def string) (*jsonschema.Schema, error) {
	schemas.Lock()
	defer schemas.Unlock()
	if schemas.c == nil {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
		if err != nil {
			return nil, err
		}
		mendSchema(doc)
		c := jsonschema.NewCompiler()
		if err := c.AddResource(schemaURL, doc); err != nil {
			return nil, err
		}
		schemas.c, schemas.m = c, map[string]*jsonschema.Schema{}
	}
	if s, ok := schemas.m[def]; ok {
		return s, nil
	}
	s, err := schemas.c.Compile(schemaURL + "#/$defs/" + def)
	if err != nil {
		return nil, fmt.Errorf("msspec: %s: %w", def, err)
	}
	schemas.m[def] = s
	return s, nil
}

// Validate checks a JSON body against one definition of the derived schema
// ("getScheduleRequest", "eventCollectionPage", "graphError", …).
func Validate(def string, body []byte) error {
	s, err := compiled(def)
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("msspec: %s: not JSON: %w", def, err)
	}
	if err := s.Validate(v); err != nil {
		return fmt.Errorf("msspec: %s: %w", def, err)
	}
	return nil
}

// Model is the part of the CSDL that entity checks need.
type Model struct {
	types map[string]*csdlType // by unqualified name
	enums map[string]map[string]bool
}

type csdlType struct {
	name, base string
	open       bool
	props      map[string]string // name → type ("graph.x", "Collection(graph.x)", "Edm.String")
}

var model = sync.OnceValues(func() (*Model, error) {
	b, err := CSDL()
	if err != nil {
		return nil, err
	}
	return parseCSDL(b)
})

// LoadModel parses the embedded CSDL once.
func LoadModel() (*Model, error) { return model() }

func parseCSDL(b []byte) (*Model, error) {
	m := &Model{types: map[string]*csdlType{}, enums: map[string]map[string]bool{}}
	d := xml.NewDecoder(bytes.NewReader(b))
	var cur *csdlType
	var enum map[string]bool
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("msspec: csdl: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			attr := func(n string) string {
				for _, a := range t.Attr {
					if a.Name.Local == n {
						return a.Value
					}
				}
				return ""
			}
			switch t.Name.Local {
			case "EntityType", "ComplexType":
				cur = &csdlType{name: attr("Name"), base: strings.TrimPrefix(attr("BaseType"), "graph."), open: attr("OpenType") == "true", props: map[string]string{}}
				m.types[cur.name] = cur
			case "Property", "NavigationProperty":
				if cur != nil {
					cur.props[attr("Name")] = attr("Type")
				}
			case "EnumType":
				enum = map[string]bool{}
				m.enums[attr("Name")] = enum
			case "Member":
				if enum != nil {
					enum[attr("Name")] = true
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "EntityType", "ComplexType":
				cur = nil
			case "EnumType":
				enum = nil
			}
		}
	}
	if len(m.types) < 1000 {
		return nil, fmt.Errorf("msspec: csdl: only %d types", len(m.types))
	}
	return m, nil
}

// HasType reports whether the CSDL declares an entity or complex type.
func (m *Model) HasType(name string) bool { _, ok := m.types[name]; return ok }

func (m *Model) property(typ, prop string) (string, bool) {
	for t := m.types[typ]; t != nil; t = m.types[t.base] {
		if p, ok := t.props[prop]; ok {
			return p, true
		}
	}
	return "", false
}

// CheckEntity checks a JSON object against CSDL type typ ("event", "room",
// "scheduleInformation", …): every property declared, nested complex
// values and collections checked the same way, enum values allowed.
// Instance annotations (keys with "@") are not properties and are skipped.
func (m *Model) CheckEntity(typ string, body []byte) error {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	var errs []string
	m.check(typ, v, typ, &errs)
	if len(errs) > 0 {
		sort.Strings(errs)
		return fmt.Errorf("msspec: not a Graph %s: %s", typ, strings.Join(errs, "; "))
	}
	return nil
}

func (m *Model) check(typ string, v any, path string, errs *[]string) {
	if v == nil {
		return
	}
	if inner, ok := strings.CutPrefix(typ, "Collection("); ok {
		arr, ok := v.([]any)
		if !ok {
			*errs = append(*errs, path+": not a collection")
			return
		}
		inner = strings.TrimSuffix(inner, ")")
		for i, x := range arr {
			m.check(inner, x, fmt.Sprintf("%s[%d]", path, i), errs)
		}
		return
	}
	typ = strings.TrimPrefix(typ, "graph.")
	if strings.HasPrefix(typ, "Edm.") {
		return
	}
	if enum, ok := m.enums[typ]; ok {
		s, ok := v.(string)
		if !ok {
			*errs = append(*errs, path+": enum "+typ+" is not a string")
			return
		}
		for _, part := range strings.Split(s, ",") { // flags enums list members
			if !enum[strings.TrimSpace(part)] {
				*errs = append(*errs, fmt.Sprintf("%s: %q is not a %s", path, s, typ))
			}
		}
		return
	}
	obj, ok := v.(map[string]any)
	if !ok {
		*errs = append(*errs, path+": not an object")
		return
	}
	if t, ok := obj["@odata.type"].(string); ok {
		// A derived type named by the value (customTimeZone, room).
		if d := strings.TrimPrefix(t, "#microsoft.graph."); d != t && m.types[d] != nil {
			typ = d
		}
	}
	if m.types[typ] == nil {
		*errs = append(*errs, path+": unknown type "+typ)
		return
	}
	for k, x := range obj {
		if strings.Contains(k, "@") {
			continue
		}
		pt, ok := m.property(typ, k)
		if !ok {
			*errs = append(*errs, fmt.Sprintf("%s.%s: not a property of %s", path, k, typ))
			continue
		}
		m.check(pt, x, path+"."+k, errs)
	}
}
