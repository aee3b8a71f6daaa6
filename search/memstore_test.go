package search_test

import (
	"testing"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/search/storetest"
)

func TestMemStoreConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) search.Store { return search.NewMemStore() })
}
