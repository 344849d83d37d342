"""Deal pages: the board, the list, the deal page, and the moves and edits they make through `deals.services`."""
