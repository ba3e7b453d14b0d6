// Callouts (::note, ::tip, ::warning, ::caution) print coloured text on a tint of the same
// colour; @nuxt/ui's 500/600 shades miss WCAG AA (4.5:1) there in light mode, so text and
// links use the 800 shade (dark mode keeps the defaults). Class names are spelled out so
// Tailwind's scanner finds them.
export default defineAppConfig({
  ui: {
    colors: { primary: 'indigo', neutral: 'slate' },
    prose: {
      callout: {
        variants: {
          color: {
            info: { base: 'text-info-800 [&_a]:text-info-800 [&_code]:text-info-800 dark:text-info-300 dark:[&_a]:text-info-300 dark:[&_code]:text-info-300' },
            success: { base: 'text-success-800 [&_a]:text-success-800 [&_code]:text-success-800 dark:text-success-300 dark:[&_a]:text-success-300 dark:[&_code]:text-success-300' },
            warning: { base: 'text-warning-800 [&_a]:text-warning-800 [&_code]:text-warning-800 dark:text-warning-300 dark:[&_a]:text-warning-300 dark:[&_code]:text-warning-300' },
            error: { base: 'text-error-800 [&_a]:text-error-800 [&_code]:text-error-800 dark:text-error-300 dark:[&_a]:text-error-300 dark:[&_code]:text-error-300' },
          },
        },
      },
    },
  },
})
