export default definePageConfig({
  navigationBarTitleText: '在线客服',
  // The list scrolls inside the page; the page itself stays put with the input bar at the bottom.
  disableScroll: true,
})
