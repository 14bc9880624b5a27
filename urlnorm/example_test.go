package urlnorm_test

import (
	"fmt"

	"factdesk/urlnorm"
)

func ExampleNormalize() {
	u, err := urlnorm.Normalize("HTTPS://Www.Example.com:443/world/story/?utm_source=rss&id=2#top")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(u)
	// Output: https://www.example.com/world/story?id=2
}
