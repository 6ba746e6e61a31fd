package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// TestMessagesExist checks that every message the templates and handlers
// name, and every value label built from the domain's lists, is in both
// catalogues.
func TestMessagesExist(t *testing.T) {
	t.Parallel()
	ids := map[string]bool{}
	patterns := []*regexp.Regexp{
		regexp.MustCompile(`\bt "([a-z_]+\.[a-z_.]+)"`),                   // templates: {{t "id" ...}}
		regexp.MustCompile(`\.T\("([a-z_]+\.[a-z_.]*[a-z_])"`),            // handlers: p.T("id", ...)
		regexp.MustCompile(`flash\(r, "([a-z_]+\.[a-z_.]+)"\)`),           // flash messages
		regexp.MustCompile(`Add\("[a-z_0-9]+", "([a-z_]+\.[a-z_.]+)"`),    // problems
		regexp.MustCompile(`Errorf\(dxtrack\.E[A-Z]+, "([a-z_.]+)", nil`), // refusals
	}
	files, err := filepath.Glob("templates/*/*.html")
	if err != nil {
		t.Fatal(err)
	}
	gofiles, _ := filepath.Glob("*.go")
	for _, path := range append(files, gofiles...) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range patterns {
			for _, m := range re.FindAllStringSubmatch(string(src), -1) {
				ids[m[1]] = true
			}
		}
	}
	if len(ids) < 100 {
		t.Fatalf("found only %d message IDs; is the scan broken?", len(ids))
	}
	add := func(prefix string, values ...string) {
		for _, v := range values {
			ids[prefix+v] = true
		}
	}
	for _, s := range dxtrack.Statuses {
		add("status.", string(s))
	}
	for _, k := range dxtrack.DocumentKinds {
		add("doc_kind.", string(k))
	}
	for _, u := range dxtrack.UnitTypes {
		add("unit_type.", string(u))
	}
	for _, r := range dxtrack.Roles {
		add("role.", string(r))
	}
	add("category_kind.", string(dxtrack.CategoryPillar), string(dxtrack.CategoryFoundation), string(dxtrack.CategorySector))
	add("target_kind.", string(dxtrack.TargetQuantitative), string(dxtrack.TargetQualitative))
	add("direction.", string(dxtrack.DirectionUp), string(dxtrack.DirectionDown))
	add("lineage.", "from_merge", "to_merge", "from_split", "to_split")
	for _, code := range []string{dxtrack.EINVALID, dxtrack.ENOTFOUND, dxtrack.EFORBIDDEN, dxtrack.EUNAUTHORIZED, dxtrack.ECONFLICT, dxtrack.EINTERNAL} {
		add("page.error.", code)
		add("error.", code)
	}
	for id := range ids {
		for _, lang := range locale.Langs {
			if !locale.For(lang).Has(id) {
				t.Errorf("message %q is missing in %s", id, lang)
			}
		}
	}
}
