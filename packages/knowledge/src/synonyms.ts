/**
 * Words that mean the same thing to a customer-service FAQ, in Chinese and English. The first
 * word of each group is the one the index and the queries both use, so a question asked with
 * any of them finds an entry written with any other ("驾照" finds "驾驶证", "parking" finds "停车").
 * Words as the segmenter cuts them, after normalisation (simplified, lowercase).
 */
export const builtInSynonyms: readonly string[][] = [
  // Booking and orders
  ['预订', '预定', '订', '订购', '下单', '报名', '订房', '订票', '预约', 'book', 'booking', 'reserve', 'reservation', 'appointment'],
  ['取消', '退订', '退团', '不去了', '不想去', '去不了', '来不了', '不来了', '退掉', 'cancel', 'cancellation'],
  ['退款', '退钱', '退费', '退票', '退还', '返还', '退回', 'refund'],
  ['改期', '改日期', '换日期', '改签', '延期', 'reschedule', 'postpone'],
  ['修改', '更改', '变更', '调整', 'modify', 'amend'],
  ['订单', 'order'],
  ['发票', '开票', '报销', 'invoice', 'receipt', 'fapiao'],
  ['押金', '保证金', 'deposit'],
  ['定金', '订金', '预付款', 'prepayment'],
  [
    '价格',
    '价钱',
    '多少钱',
    '费用',
    '收费',
    '钱',
    '价',
    '加钱',
    '补钱',
    '补差价',
    '扣钱',
    '扣费',
    '扣款',
    '额外收费',
    '免费',
    'price',
    'cost',
    'fee',
    'charge',
    'rate',
  ],
  ['优惠', '折扣', '打折', '便宜', '半价', '减免', '好处', '福利', '权益', '特价', 'discount', 'benefit', 'perk'],
  ['付款', '支付', '付钱', '缴费', 'pay', 'payment'],
  ['积分', '会员', 'member', 'membership', 'points', 'loyalty'],
  // Time
  ['时间', '几点', '点钟', '时候', '营业时间', '几月', '几月份', '月份', '季节', 'time', 'hours', 'when', 'season', 'month'],
  ['最好', '最佳', '最合适', 'best', 'ideal'],
  ['多久', '多长时间', '几天', '多少天', 'long'],
  ['开始', '开门', '营业', '开放', 'open', 'opens', 'opening', 'start'],
  ['结束', '关门', '截止', '打烊', 'close', 'closes', 'closing', 'end'],
  ['提前', '预先', 'advance', 'early'],
  ['延迟', '延时', '延长', '推迟', '晚点', '晚走', '晚点走', '睡懒觉', 'late', 'delay', 'extend'],
  // People
  ['儿童', '小孩', '孩子', '小朋友', '宝宝', '婴儿', 'child', 'children', 'kid', 'kids', 'baby'],
  ['老人', '老年人', '长者', 'senior', 'elderly'],
  ['客服', '人工', '人工客服', '服务员', '工作人员', 'staff', 'agent'],
  ['前台', '总台', '接待处', 'reception', 'frontdesk'],
  ['导游', '向导', '讲解员', 'guide'],
  // Travel and places
  ['停车', '泊车', '停车场', '车位', '停车位', 'park', 'parking'],
  ['充电', '充电桩', 'charging'],
  // A charger is a thing (left behind, borrowed), not charging.
  ['充电器', '充电线', '数据线', 'charger', 'cable'],
  ['电动车', '电瓶车', '电动自行车', '电单车', '新能源车', '新能源汽车', '电车', 'ev'],
  ['驾照', '驾驶证', '驾驶执照'],
  ['身份证', '证件', '护照', 'id', 'passport', 'document', 'documents'],
  ['签证', 'visa'],
  // Guests from abroad, from overseas in general, and from Hong Kong, Macao and Taiwan: three groups,
  // as an FAQ may answer each apart.
  ['外国', '外国人', '外籍', '老外', 'foreign', 'foreigner'],
  ['境外', '海外', 'overseas'],
  ['港澳台', '港澳', '台胞', '港澳同胞', '台湾同胞', '港澳台居民'],
  ['登记', '注册', '报备', 'register', 'registration'],
  ['派出所', '公安', '公安局', '警察', 'police'],
  ['地铁', '地铁站', 'metro', 'subway'],
  ['景点', '景区', 'attraction', 'attractions'],
  ['附近', '周边', '周围', 'nearby'],
  ['寺', '寺庙', '寺院', 'temple'],
  ['机场', '航站楼', '落地', '航班', '飞机', 'airport', 'flight', 'plane'],
  ['火车站', '高铁站', '车站', 'station', 'train'],
  ['接送', '接机', '送机', '接站', 'pickup', 'shuttle', 'transfer'],
  ['地址', '位置', '在哪', '在哪里', '在哪儿', '哪里', '哪儿', '怎么去', '怎么走', '怎么过去', 'address', 'location', 'where'],
  ['门票', '票', '入场券', 'ticket', 'tickets'],
  ['行李', '行李箱', '箱子', 'luggage', 'baggage', 'bag', 'bags', 'suitcase'],
  ['寄存', '存放', '保管', '寄放', '存包', 'storage', 'store', 'locker'],
  ['邮寄', '寄', '寄回', '寄给', '寄到', '快递', '邮递', '寄送', 'mail', 'courier'],
  // Lodging
  ['入住', '办理入住', '进房', '到店', '住进', 'checkin', 'check-in'],
  ['退房', '离店', 'checkout', 'check-out'],
  ['早餐', '早饭', '早点', 'breakfast'],
  ['午餐', '午饭', 'lunch'],
  ['晚餐', '晚饭', 'dinner'],
  ['房间', '客房', '房型', '房', '房里', '屋里', '房内', 'room', 'rooms'],
  ['送餐', '客房送餐', '送餐服务', '叫餐', 'roomservice'],
  ['单独', '独自', 'alone', 'unattended'],
  ['外出', '出去', '出门', '出去玩'],
  ['旅游', '旅行', '游玩', '游览', '出游', 'visit', 'travel', 'trip', 'tour', 'sightseeing'],
  ['会议', '开会', '会议室', '会场', 'conference'],
  ['酒店', '宾馆', '饭店', '旅馆', '住宿', 'hotel', 'hostel'],
  ['加床', '额外床'],
  ['无线网', 'wifi', '网络', '上网', '网', 'internet'],
  ['健身房', '健身', 'gym', 'fitness'],
  ['游泳池', '泳池', '游泳', 'pool', 'swim', 'swimming'],
  ['宠物', 'pet', 'pets'],
  ['吸烟', '抽烟', 'smoke', 'smoking'],
  ['洗衣', '洗衣服', '干洗', 'laundry'],
  ['失物', '丢失', '丢了', '遗失', '落下', '忘带', '忘拿', '遗落', '落在', '忘在', 'lost'],
  ['无障碍', '轮椅', '残疾人', '残障', 'accessible', 'accessibility', 'wheelchair', 'disabled'],
  // Service
  ['投诉', '举报', '意见', 'complaint', 'complain'],
  ['联系', '电话', '热线', '联系方式', 'contact', 'phone', 'call'],
  ['发送', '发给', '发到', '发过来', 'send', 'sent'],
  ['增加', '添加', '多加', 'add'],
  ['人数', '几个人', '多少人', '几人', '几位'],
  ['船', '小船', '游船', '划船', '手划船', 'boat', 'boats', 'cruise'],
  // Accounts, applications and payments (banks, public services, shops).
  ['账户', '账号', '帐户', '帐号', 'account'],
  ['密码', 'password'],
  ['登录', '登陆', 'login', 'signin'],
  ['申请', '办理', 'apply', 'application'],
  ['材料', '资料', '文件'],
  ['进度', '状态', 'status', 'progress'],
  ['退货', '退换', '换货'],
  ['信用卡', 'creditcard', 'mastercard', 'amex'],
  ['微信支付', 'wechatpay'],
  ['支付宝', 'alipay'],
  ['银联', '银联卡', 'unionpay'],
  ['现金', 'cash'],
  ['贷款', '借款', 'loan'],
  ['利率', '利息'],
  ['保险', 'insurance'],
  ['受伤', '摔伤', '伤', '扭伤', 'injury', 'injured', 'hurt'],
  ['生病', '病', '不舒服', 'sick', 'ill'],
  ['天气', '下雨', '下雪', 'weather', 'rain'],
]

/** Words that stand for a broader one in a question ("能带猫吗" asks about pets): the query also looks for the broader word. */
export const builtInBroader: Readonly<Record<string, string>> = {
  猫: '宠物',
  狗: '宠物',
  cat: '宠物',
  cats: '宠物',
  dog: '宠物',
  dogs: '宠物',
  小狗: '宠物',
  小猫: '宠物',
  狗狗: '宠物',
  猫咪: '宠物',
  // Membership cards stand for membership (points and membership are one group).
  金卡: '会员',
  银卡: '会员',
  白金卡: '会员',
  钻石卡: '会员',
  会员卡: '会员',
  vip: '会员',
  // Ways to pay stand for paying.
  支付宝: '付款',
  微信支付: '付款',
  银联: '付款',
  现金: '付款',
  // Moving a date is changing the booking.
  改期: '修改',
  // Electric car makes stand for electric cars.
  特斯拉: '电动车',
  tesla: '电动车',
  比亚迪: '电动车',
}

/** Question words of the groups: they ask when, where, how long or how much, and stand for that group's word. */
export const questionWords: ReadonlySet<string> = new Set(
  '几点 点钟 时候 几月 几月份 多久 多长时间 几天 多少天 在哪 在哪里 在哪儿 哪里 哪儿 怎么去 怎么走 怎么过去 多少钱 when where'.split(' '),
)

/** English phrases that are one word to the index ("room service" is not a room). */
export const builtInPhrases: Readonly<Record<string, string>> = {
  'room service': 'roomservice',
  'front desk': 'frontdesk',
  'credit card': 'creditcard',
  // A Visa card is a credit card, not a visa.
  'visa card': 'creditcard',
  'master card': 'creditcard',
  'wechat pay': 'wechatpay',
  'union pay': 'unionpay',
  'log in': 'login',
  'sign in': 'signin',
  'lost and found': 'lost',
  'how much': '多少钱',
  'how long': '多久',
  'interest rate': '利率',
  // A store that is a shop, not storing luggage.
  'convenience store': '便利店',
  'grocery store': '超市',
  'app store': 'appstore',
  'online store': '网店',
}

/** Looks up a word's group's word. */
export class Synonyms {
  private readonly canonical = new Map<string, string>()

  constructor(
    groups: readonly string[][] = builtInSynonyms,
    readonly broader: Readonly<Record<string, string>> = builtInBroader,
  ) {
    for (const group of groups) {
      for (const word of group) if (!this.canonical.has(word)) this.canonical.set(word, group[0]!)
    }
  }

  /** Whether `word` is in one of the groups. */
  has(word: string): boolean {
    return this.canonical.has(word)
  }

  /** The word the index uses for `word`. */
  of(word: string): string {
    return this.canonical.get(word) ?? word
  }

  /** Every word the table knows (for the segmenter's dictionary, so they stay whole). */
  words(): string[] {
    return [...this.canonical.keys(), ...Object.keys(this.broader), ...Object.values(builtInPhrases)]
  }
}
