package zoom

import "errors"

// maxPages stops a pager that never ends (a server bug must not hang a sync).
const maxPages = 1000

var errTooManyPages = errors.New("zoom: pagination did not end")

// allPages follows Zoom's next_page_token from the first page ("" token)
// until a page names no next one. page reads the page at token and returns
// its items and the next token.
func allPages[T any](page func(token string) (items []T, next string, err error)) ([]T, error) {
	var all []T
	token := ""
	for range maxPages {
		items, next, err := page(token)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		if next == "" {
			return all, nil
		}
		token = next
	}
	return nil, errTooManyPages
}
