import { setUpNavbar } from './navbar.js'
import { pages } from './pages/index.js'

void setUpNavbar()
void pages[document.body.dataset.page ?? '']?.()
