package dxtrack

import "context"

// CategoryKind separates the lists that classify targets and tasks.
type CategoryKind string

// Category kinds.
const (
	CategoryPillar     CategoryKind = "pillar"     // trụ cột: digital government, economy, society, data
	CategoryFoundation CategoryKind = "foundation" // nền tảng: awareness, institutions, infrastructure, ...
	CategorySector     CategoryKind = "sector"     // lĩnh vực ưu tiên
)

// Valid reports whether k is a known kind.
func (k CategoryKind) Valid() bool {
	return k == CategoryPillar || k == CategoryFoundation || k == CategorySector
}

// Category is an entry of an editable list: a pillar, a foundation or a
// priority sector.
type Category struct {
	ID     int64        `json:"id"`
	Kind   CategoryKind `json:"kind"`
	Code   string       `json:"code"`
	NameVI string       `json:"name_vi"`
	NameEN string       `json:"name_en"`
	Sort   int          `json:"sort"`
}

// Name returns the name in the language, falling back to Vietnamese.
func (c *Category) Name(lang string) string {
	if lang == "en" && c.NameEN != "" {
		return c.NameEN
	}
	return c.NameVI
}

// Validate checks the category's own fields.
func (c *Category) Validate() error {
	var p Problems
	if !c.Kind.Valid() {
		p.Add("kind", "error.unknown_value", map[string]any{"Value": string(c.Kind)})
	}
	if !ValidCode(c.Code) {
		p.Add("code", "error.code_format", nil)
	}
	if c.NameVI == "" {
		p.Add("name_vi", "error.required", nil)
	}
	return p.Err()
}

// DefaultCategories are the pillars, foundations and priority sectors of
// the national programme (Decision 749/QĐ-TTg), loaded on a new store.
var DefaultCategories = []Category{
	{Kind: CategoryPillar, Code: "CQS", NameVI: "Chính quyền số", NameEN: "Digital government", Sort: 1},
	{Kind: CategoryPillar, Code: "KTS", NameVI: "Kinh tế số", NameEN: "Digital economy", Sort: 2},
	{Kind: CategoryPillar, Code: "XHS", NameVI: "Xã hội số", NameEN: "Digital society", Sort: 3},
	{Kind: CategoryPillar, Code: "DLS", NameVI: "Dữ liệu số", NameEN: "Digital data", Sort: 4},
	{Kind: CategoryFoundation, Code: "NT", NameVI: "Nhận thức số", NameEN: "Digital awareness", Sort: 1},
	{Kind: CategoryFoundation, Code: "TC", NameVI: "Thể chế số", NameEN: "Digital institutions", Sort: 2},
	{Kind: CategoryFoundation, Code: "HT", NameVI: "Hạ tầng số", NameEN: "Digital infrastructure", Sort: 3},
	{Kind: CategoryFoundation, Code: "NL", NameVI: "Nhân lực số", NameEN: "Digital human resources", Sort: 4},
	{Kind: CategoryFoundation, Code: "ATTT", NameVI: "An toàn thông tin mạng", NameEN: "Cyber security", Sort: 5},
	{Kind: CategorySector, Code: "YT", NameVI: "Y tế", NameEN: "Health", Sort: 1},
	{Kind: CategorySector, Code: "GD", NameVI: "Giáo dục", NameEN: "Education", Sort: 2},
	{Kind: CategorySector, Code: "TCNH", NameVI: "Tài chính - Ngân hàng", NameEN: "Finance and banking", Sort: 3},
	{Kind: CategorySector, Code: "NN", NameVI: "Nông nghiệp", NameEN: "Agriculture", Sort: 4},
	{Kind: CategorySector, Code: "GTVT", NameVI: "Giao thông vận tải và logistics", NameEN: "Transport and logistics", Sort: 5},
	{Kind: CategorySector, Code: "NLG", NameVI: "Năng lượng", NameEN: "Energy", Sort: 6},
	{Kind: CategorySector, Code: "TNMT", NameVI: "Tài nguyên và môi trường", NameEN: "Natural resources and environment", Sort: 7},
	{Kind: CategorySector, Code: "SXCN", NameVI: "Sản xuất công nghiệp", NameEN: "Industrial production", Sort: 8},
	{Kind: CategorySector, Code: "DL", NameVI: "Du lịch", NameEN: "Tourism", Sort: 9},
}

// CategoryService manages the editable lists. Writing is for admins.
type CategoryService interface {
	// FindCategories returns the categories of a kind ("" for all), in order.
	FindCategories(ctx context.Context, kind CategoryKind) ([]*Category, error)
	FindCategoryByID(ctx context.Context, id int64) (*Category, error)
	CreateCategory(ctx context.Context, c *Category) error
	UpdateCategory(ctx context.Context, c *Category) error
	// DeleteCategory refuses (ECONFLICT) while targets or tasks use it.
	DeleteCategory(ctx context.Context, id int64) error
}
