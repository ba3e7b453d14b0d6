// The colour switch of pages served without the Vue app (the landing page): what
// UColorModeButton does, on top of the head script @nuxtjs/color-mode puts on every page
// (window.__NUXT_COLOR_MODE__). The choice is kept where that script reads it on every page.
(() => {
  const mode = window.__NUXT_COLOR_MODE__
  const button = document.getElementById('color-mode-switch')
  if (!mode || !button) return
  const show = (value) => {
    mode.removeColorScheme(mode.value)
    mode.addColorScheme(value)
    mode.value = value
    button.setAttribute('aria-label', value === 'dark' ? 'Switch to light mode' : 'Switch to dark mode')
  }
  show(mode.value)
  button.addEventListener('click', () => {
    mode.preference = mode.value === 'dark' ? 'light' : 'dark'
    try { localStorage.setItem('nuxt-color-mode', mode.preference) }
    catch {}
    show(mode.preference)
  })
  // "system" follows the operating system, as it does on the other pages.
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    if (mode.preference === 'system') show(mode.getColorScheme())
  })
})()
