package search

// withDefaults fills the zero fields of l from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxQueryBytes > 0 {
		d.MaxQueryBytes = l.MaxQueryBytes
	}
	if l.MaxTerms > 0 {
		d.MaxTerms = l.MaxTerms
	}
	if l.MaxPerPage > 0 {
		d.MaxPerPage = l.MaxPerPage
	}
	if l.MaxWindow > 0 {
		d.MaxWindow = l.MaxWindow
	}
	if l.FacetSize > 0 {
		d.FacetSize = l.FacetSize
	}
	if l.MaxFacetSize > 0 {
		d.MaxFacetSize = l.MaxFacetSize
	}
	if l.Deadline > 0 {
		d.Deadline = l.Deadline
	}
	if l.MaxExport > 0 {
		d.MaxExport = l.MaxExport
	}
	return d
}
