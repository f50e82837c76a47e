import Taro from '@tarojs/taro'

/** wx.login's code, which the API trades for the user's openid with WeChat. */
export async function loginCode(): Promise<string | null> {
  const { code } = await Taro.login()
  return code || null
}

/** Whoever is signed in to WeChat: one user per device, so any stored session is theirs. */
export function sessionTag(): string {
  return 'weapp'
}

/**
 * wx.requestSubscribeMessage: WeChat shows its dialog only when this is called straight from a
 * tap, so the tap handler calls it before anything it awaits.
 */
export async function askToNotify(templateId: string): Promise<boolean | null> {
  try {
    // Taro's type also demands Alipay's entityIds; WeChat takes tmplIds alone.
    const result = await Taro.requestSubscribeMessage({ tmplIds: [templateId] } as Taro.requestSubscribeMessage.Option)
    // The promise resolves only with the success result (a failure rejects), keyed by template id.
    return (result as Taro.requestSubscribeMessage.SuccessCallbackResult)[templateId] === 'accept'
  } catch {
    // The user turned notifications off for the app, or the template is not the app's.
    return null
  }
}

export const noCodeHint = '微信登录失败，请稍后重试。'
