package postgis

import "sort"

// FeatureQuery is, for the tests, the query that reads collection's
// features without paging or counting, and the argument of its filter.
func FeatureQuery(collection string) (query string, arg any) {
	c := featureCollections[collection]
	return "SELECT " + c.selectList(false) + " FROM " + c.from + " WHERE " + c.where, c.arg
}

// FeatureCollectionIDs are the collection ids, sorted.
func FeatureCollectionIDs() []string {
	var out []string
	for id := range featureCollections {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
