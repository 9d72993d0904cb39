"""The two theme facets the knowledge base starts with: policy domain and policy instrument.

- **Domain** (政策领域): the field a measure governs, after the State Council's 主题分类 used on gov.cn
  (综合政务, 国民经济管理、国有资产监管, 财政、金融、审计 …), refined where the office needs it: the e-commerce
  themes it began with are sub-domains of 商贸、海关、旅游, and 科技、教育 is split in two.
- **Instrument** (政策工具): what a measure does — funds, tax relief, financing, land, talent, approval reform,
  standards, supervision, platforms, organisation …

Both are themes (one model, with a facet and a parent), so every page that shows themes serves both.
Administrators edit names, descriptions, keywords and the hierarchy in the admin; this list only seeds themes
that do not exist yet and never overwrites an edit. Keywords are matched against jieba tokens of a measure's
title, chapter and text (``measures.classify``). ``FORMER_CODES`` is the written mapping from the first
taxonomy's 22 theme codes to their place here (migration 0009 applies it, old URLs redirect by it).
"""

from __future__ import annotations

from dataclasses import dataclass

DOMAIN = "domain"
INSTRUMENT = "instrument"


@dataclass(frozen=True)
class ThemeSeed:
    code: str
    name: str
    facet: str
    description: str
    keywords: tuple[str, ...]
    parent: str = ""
    # The gov.cn 主题分类 names this domain answers to (an info block's 主题分类 starts with one of them).
    topics: tuple[str, ...] = ()


def _domain(code, name, description, keywords, parent="", topics=()):
    return ThemeSeed(code, name, DOMAIN, description, tuple(keywords.split()), parent, tuple(topics))


def _instrument(code, name, description, keywords):
    return ThemeSeed(code, name, INSTRUMENT, description, tuple(keywords.split()))


DOMAINS: tuple[ThemeSeed, ...] = (
    _domain(
        "general_affairs",
        "综合政务",
        "政府运行、政务公开与政务服务、督查考核、法治政府、应急管理、数字政府。",
        "政务 政务服务 政务公开 政府信息公开 一网通办 一网统管 数字政府 行政审批 行政许可 督查 法治政府 依法行政 "
        "立法 地方性法规 人大常委会 应急管理 应急 突发事件 办公厅 机关 公文 行政复议 规范性文件 政府职能 放管服",
        topics=("综合政务",),
    ),
    _domain(
        "economy",
        "国民经济管理、国有资产监管",
        "宏观经济、发展规划、营商环境、国企国资、统计、消费与投资总体。",
        "营商环境 市场主体 民营经济 民营企业 中小企业 中小微企业 国有企业 国有资产 国资 发展改革 宏观 经济运行 "
        "高质量发展 新旧动能 动能转换 投资 项目建设 重大项目 统计 消费 扩大内需 经济发展 产业结构 现代化经济体系 "
        "社会信用 信用体系",
        topics=("国民经济管理", "国有资产监管"),
    ),
    _domain(
        "finance",
        "财政、金融、审计",
        "财政预算与资金管理、税收制度、银行保险、融资担保体系、资本市场、审计。",
        "财政 预算 财政资金 转移支付 税收 税务 金融 银行 保险 融资担保 担保基金 信贷 贷款 资本市场 证券 "
        "债券 审计 金融机构 普惠金融 金融风险 再担保 国家融资担保基金 政府性融资担保",
        topics=("财政、金融、审计", "财政", "金融", "审计"),
    ),
    _domain(
        "land_energy",
        "国土资源、能源",
        "土地管理、自然资源、矿产、能源、测绘。",
        "国土 土地 自然资源 矿产 能源 电力 煤炭 石油 天然气 新能源 可再生能源 测绘 地质 节能 用能",
        topics=("国土资源、能源", "国土资源", "能源"),
    ),
    _domain(
        "agriculture",
        "农业、林业、水利",
        "农业、农机、粮食、林业、水利、河湖管理、乡村发展。",
        "农业 农村 农民 乡村 农机 农业机械化 农机装备 粮食 粮食安全 储备 种植 养殖 畜牧 渔业 林业 森林 水利 "
        "河湖 河长 河长制 流域 水资源 防洪 灌溉 农产品 耕地 乡村振兴 现代农业 三农",
        topics=("农业、林业、水利", "农业", "林业", "水利"),
    ),
    _domain(
        "industry",
        "工业、交通",
        "制造业、工业互联网、信息通信业、交通运输、邮政。",
        "工业 制造业 制造 装备 工业互联网 产业链 信息通信 通信 电信 5G 交通 交通运输 道路 公路 铁路 航空 "
        "港口 航运 邮政 运输 车辆 船舶 智能制造",
        topics=("工业、交通", "工业", "交通"),
    ),
    _domain(
        "commerce",
        "商贸、海关、旅游",
        "商贸流通、对外贸易与投资、海关与口岸、旅游、会展。",
        "商贸 商务 贸易 市场 海关 口岸 通关 会展 展会 商品",
        topics=("商贸、海关、旅游", "商贸", "海关", "旅游"),
    ),
    _domain(
        "ecommerce",
        "电子商务",
        "电子商务发展、网络零售、电商平台与园区、电商新业态。",
        "电子商务 电商 网络零售 网购 网店 电商平台 电子商务平台 电子商务企业 电子商务园区 移动电子商务 "
        "网络交易 线上线下 O2O B2B B2C 直播电商 社交电商 新零售 电子商务示范",
        parent="commerce",
    ),
    _domain(
        "cross_border",
        "跨境电子商务",
        "跨境电商进出口、综合试验区、海外仓、外贸综合服务。",
        "跨境电商 跨境电子商务 海外仓 综试区 跨境电子商务综合试验区 外贸综合服务 市场采购贸易 跨境支付 "
        "跨境 9610 9710 9810 1210 独立站",
        parent="commerce",
    ),
    _domain(
        "rural_ecommerce",
        "农村电子商务",
        "电子商务进农村、农产品上行、县域电商。",
        "农村电子商务 农村电商 电子商务进农村 农产品上行 县域电商 涉农电商 电商扶贫",
        parent="commerce",
    ),
    _domain(
        "logistics",
        "物流与快递",
        "物流、快递、仓储、配送、冷链。",
        "物流 快递 仓储 配送 冷链 末端配送 物流园区 分拨 供应链 寄递 货运",
        parent="commerce",
    ),
    _domain(
        "retail",
        "商贸流通与消费",
        "批发零售、商业网点、流通、消费促进。",
        "零售 批发 流通 商业网点 连锁 商圈 步行街 消费 促消费 消费品 商超 专业市场 老字号 消费扶贫",
        parent="commerce",
    ),
    _domain(
        "foreign_trade",
        "对外贸易与投资",
        "外贸、外资、自贸试验区、综合保税区、开放型经济。",
        "外贸 对外贸易 进出口 出口 进口 外资 外商投资 外商 自贸试验区 自由贸易试验区 自贸区 综合保税区 保税 "
        "开放型经济 贸易便利化 加工贸易 服务贸易 离岸 负面清单",
        parent="commerce",
    ),
    _domain(
        "tourism",
        "旅游",
        "旅游业、文旅融合、景区。",
        "旅游 景区 游客 文旅 乡村旅游 旅行社 民宿 旅游业",
        parent="commerce",
    ),
    _domain(
        "market_regulation",
        "市场监管、安全生产监管",
        "市场监督管理、价格监督、质量、食品药品、消费者权益、安全生产、彩票。",
        "市场监管 市场监督管理 明码标价 价格欺诈 价格 标价 质量 产品质量 食品 药品 特种设备 计量 消费者 "
        "消费者权益 安全生产 生产安全 彩票 经营者 不正当竞争 广告 登记注册 市场秩序",
        topics=("市场监管、安全生产监管", "市场监管", "安全生产监管"),
    ),
    _domain(
        "urban_environment",
        "城乡建设、环境保护",
        "住房、城市规划与建设、物业、历史文化街区、生态环境、污染防治、固体废物。",
        "城乡建设 城市建设 住房 住宅 房屋 物业 规划 建筑 历史建筑 历史文化街区 风貌 城市更新 市政 "
        "生态环境 环境保护 污染 污染防治 废水 污水 排放 固体废物 无废城市 垃圾 大气 生态 绿色 节水 水环境 水质 "
        "水污染 排污 生态保护 饮用水 水源保护",
        topics=("城乡建设、环境保护", "城乡建设", "环境保护"),
    ),
    _domain(
        "science_education",
        "科技、教育",
        "科学技术与教育（请优先选下级领域）。",
        "",
        topics=("科技、教育",),
    ),
    _domain(
        "science_tech",
        "科技与信息化",
        "科技创新、知识产权与专利、数字经济、数据、人工智能、信息化。",
        "科技 科技创新 创新 研发 技术 科技成果 成果转化 知识产权 专利 专利代理 商标 版权 数字经济 数字化 "
        "数据 公共数据 数据要素 人工智能 算法 信息化 大数据 云计算 区块链 物联网 高新技术 实验室 科研",
        parent="science_education",
        topics=("科技",),
    ),
    _domain(
        "education",
        "教育",
        "学校教育、职业教育、高等教育、校外教育、学前教育。",
        "教育 学校 学生 教师 职业教育 职业院校 高校 高等学校 学前教育 幼儿园 中小学 校外 实践教育 "
        "招生 教学 办学 课程 教材 技工院校 产教融合",
        parent="science_education",
        topics=("教育",),
    ),
    _domain(
        "culture",
        "文化、广电、新闻出版",
        "文化事业与产业、文物、公共文化设施、广播电视、新闻出版。",
        "文化 公共文化 文化设施 图书馆 文化馆 博物馆 文物 非物质文化遗产 文艺 广播电视 新闻出版 出版 文化产业 群众文化",
        topics=("文化、广电、新闻出版", "文化", "广电", "新闻出版"),
    ),
    _domain(
        "health",
        "卫生、体育",
        "医疗卫生、医院、医疗保障、家庭医生、公共卫生、体育。",
        "卫生 医疗 医院 公立医院 医保 医疗保障 医疗保障基金 医务人员 患者 家庭医生 签约服务 基层医疗 "
        "公共卫生 疾病 健康 药品 诊疗 体育 健身",
        topics=("卫生、体育", "卫生", "体育"),
    ),
    _domain(
        "population",
        "人口与计划生育、妇女儿童工作",
        "人口、生育、妇女儿童权益。",
        "人口 计划生育 生育 妇女 儿童 未成年人 妇女权益 母婴 托育 家庭 妇联",
        topics=("人口与计划生育、妇女儿童工作",),
    ),
    _domain(
        "labour",
        "劳动、人事、监察",
        "就业创业、职业培训、社会保险、工资、人事管理、事业单位。",
        "就业 创业 失业 稳岗 职业培训 职业技能 技能培训 社会保险 养老保险 失业保险 工伤 劳动 劳动者 "
        "劳动合同 工资 人事 事业单位 公务员 招聘 聘用 岗位 人力资源 人才 青年 创业担保贷款 劳动保护 用人单位 职工 "
        "女职工 产假 劳动保障",
        topics=("劳动、人事、监察", "劳动", "人事", "监察"),
    ),
    _domain(
        "security_justice",
        "公安、安全、司法",
        "公安、消防、国家安全、司法与法律服务。",
        "公安 警察 治安 消防 消防安全 火灾 消防救援 司法 法院 检察院 法律服务 律师 公证 法律援助 安全防范",
        topics=("公安、安全、司法", "公安", "安全", "司法"),
    ),
    _domain(
        "civil_affairs",
        "民政、扶贫、救灾",
        "社会救助、低保、特困供养、慈善、扶贫、救灾、养老服务、社区治理。",
        "民政 社会救助 救助 低保 最低生活保障 特困 供养 慈善 捐赠 扶贫 脱贫 贫困 救灾 养老 养老服务 "
        "老年人 残疾人 社区 社会组织 殡葬 婚姻",
        topics=("民政、扶贫、救灾", "民政", "扶贫", "救灾"),
    ),
    _domain(
        "ethnic_religion",
        "民族、宗教",
        "民族事务、宗教事务、民族地区教育。",
        "民族 宗教 少数民族 西藏 新疆 内地西藏班 西藏班 民族团结",
        topics=("民族、宗教",),
    ),
    _domain(
        "foreign_affairs",
        "对外事务",
        "外交与国际交往。",
        "外交 外事 国际组织 领事 外国",
        topics=("对外事务",),
    ),
    _domain(
        "hk_macao_taiwan",
        "港澳台侨工作",
        "港澳台合作、粤港澳大湾区、横琴与前海合作区、华侨事务。",
        "香港 澳门 港澳 台湾 粤港澳 大湾区 横琴 合作区 前海 华侨 侨务 归侨 侨眷 侨房 琴澳",
        topics=("港澳台侨工作",),
    ),
    _domain(
        "defense",
        "国防",
        "国防、军队、国防动员。",
        "国防 军队 军事 中央军委 部队 化学武器 兵役 退役军人",
        topics=("国防",),
    ),
)

INSTRUMENTS: tuple[ThemeSeed, ...] = (
    _instrument(
        "subsidy",
        "财政资金补贴",
        "专项资金、奖励、补贴、补助、贴息、以奖代补、政府购买服务、经费保障。",
        "专项资金 资金 资助 扶持资金 奖励 奖补 补贴 补助 贴息 以奖代补 政府购买服务 购买服务 经费 资金支持 "
        "财政支持 资金保障 列支 财政资金 预算 投入 经费保障 专项",
    ),
    _instrument(
        "tax",
        "税收优惠",
        "减税免税、退税、加计扣除、税收政策。",
        "税收 免征 减征 减免 增值税 所得税 企业所得税 加计扣除 退税 税前扣除 税收优惠 免税 关税 纳税人 一般纳税人",
    ),
    _instrument(
        "financing",
        "金融与融资",
        "贷款、担保、融资、保险产品、基金、上市融资。",
        "融资 贷款 信贷 担保 融资担保 再担保 创投 风险投资 基金 上市 保险 抵押 质押 金融机构 银行 授信 投资基金 "
        "金融服务 金融产品",
    ),
    _instrument(
        "land",
        "用地与空间",
        "用地保障、场地与用房、租金支持、空间布局。",
        "用地 土地 建设用地 用地指标 厂房 用房 场地 场所 租金 房租 存量 空间 布局",
    ),
    _instrument(
        "talent",
        "人才",
        "人才引进与培养、培训、技能、资格。",
        "人才 培训 培养 人才培养 人才引进 引进人才 技能 职业技能 实训 高层次人才 专业人才 队伍建设 继续教育",
    ),
    _instrument(
        "deregulation",
        "审批与放管服改革",
        "简化审批、备案、证照改革、一网通办、市场准入、营商环境改革。",
        "审批 简化 备案 证照 许可 一网通办 放管服 准入 便利化 优化流程 精简 告知承诺 即办 网上办理 办理时限 "
        "营商环境 负面清单 放宽 取消",
    ),
    _instrument(
        "standards",
        "标准与认证",
        "标准制定、认证、规范、指标与评价体系。",
        "标准 标准化 认证 规范 技术规范 指标 指标体系 评价 评估 考核指标 规程 等级",
    ),
    _instrument(
        "supervision",
        "监管与执法",
        "监督检查、执法、处罚、法律责任、信用监管、禁止性规定。",
        "监管 监督 监督检查 检查 执法 处罚 罚款 责令 违法 法律责任 追究 信用监管 失信 惩戒 禁止 不得 "
        "没收 吊销 查处 投诉 举报",
    ),
    _instrument(
        "platforms",
        "平台与载体建设",
        "平台、园区、基地、中心建设，示范与试点，基础设施。",
        "平台 园区 产业园 基地 中心 载体 示范 试点 示范基地 孵化 集聚区 龙头企业 基础设施 建设 项目 工作站 服务平台",
    ),
    _instrument(
        "organization",
        "组织保障",
        "组织领导、协调机制、职责分工、督查与考核政府工作、工作机制。",
        "组织领导 组织实施 领导 协调 统筹 协调机制 工作机制 联席会议 职责 分工 督查 督促 考核 激励 "
        "领导小组 责任制 目标责任 统筹协调 督办 通报",
    ),
    _instrument(
        "publicity",
        "宣传与引导",
        "宣传推广、舆论引导、表彰奖励、意识培育。",
        "宣传 推广 引导 舆论 氛围 表彰 宣传教育 普及 倡导 鼓励 培育",
    ),
    _instrument(
        "public_service",
        "公共服务",
        "为公众或企业提供服务：救助、供养、签约服务、公共服务平台。",
        "公共服务 救助 供养 签约服务 便民 咨询服务 帮扶 照料 服务体系 便民服务 服务平台 一站式 办事 上门服务",
    ),
    _instrument(
        "cooperation",
        "合作与开放",
        "区域与国际合作、对外开放、协同机制。",
        "合作 交流 开放 对外开放 协同 一体化 国际合作 区域合作 对接 共建 互认",
    ),
    _instrument(
        "planning",
        "规划与目标",
        "指导思想、基本原则、发展目标、规划与布局。",
        "指导思想 基本原则 目标 发展目标 工作目标 总体要求 规划 到 年 坚持 战略",
    ),
    _instrument(
        "general_rules",
        "总则与定义",
        "立法目的与依据、适用范围、用语定义。",
        "为了 制定本条例 制定本规定 制定本办法 适用 适用范围 本条例所称 所称 是指 含义 行政区域内",
    ),
    _instrument(
        "rights",
        "权利与义务",
        "公民、企业等的权利义务与权益保护（不含政府工作）。",
        "权利 义务 权益 合法权益 享有 合同 有权 劳动合同 赔偿 维护 知情权",
    ),
)

THEMES: tuple[ThemeSeed, ...] = (*DOMAINS, *INSTRUMENTS)

# The first taxonomy's themes and where each now lives (a sub-domain under 商贸, a domain, or an instrument).
# A theme moved onto a code that another old theme also moved onto is merged into it; people's decisions on
# either are kept. Old codes keep working in URLs and the API: they redirect to the new place.
FORMER_CODES: dict[str, str] = {
    "platforms": "platforms",  # 平台与龙头企业 → 平台与载体建设
    "parks": "platforms",  # 产业园区与集聚区 → 平台与载体建设
    "cross_border": "cross_border",  # 跨境电子商务 → 商贸 › 跨境电子商务
    "industrial": "ecommerce",  # 制造业与产业电商 → 商贸 › 电子商务
    "trade": "retail",  # 商贸流通与零售 → 商贸 › 商贸流通与消费
    "rural": "rural_ecommerce",  # 农村电子商务 → 商贸 › 农村电子商务
    "livelihood": "ecommerce",  # 社区与民生服务（电商应用）→ 商贸 › 电子商务
    "new_models": "ecommerce",  # 新业态与新技术 → 商贸 › 电子商务
    "logistics": "logistics",  # 物流与快递 → 商贸 › 物流与快递
    "payment": "ecommerce",  # 支付与结算（电商支付）→ 商贸 › 电子商务
    "credit": "standards",  # 信用与认证 → 标准与认证
    "standards": "standards",  # 标准规范 → 标准与认证
    "ip": "science_tech",  # 知识产权 → 科技、教育 › 科技与信息化
    "statistics": "organization",  # 统计与监测 → 组织保障
    "talent": "talent",  # 人才培养 → 人才
    "fiscal": "subsidy",  # 财政资金扶持 → 财政资金补贴
    "tax": "tax",  # 税收优惠 → 税收优惠
    "finance": "financing",  # 金融、融资与保险 → 金融与融资
    "land": "land",  # 用地与空间保障 → 用地与空间
    "customs": "commerce",  # 通关与口岸监管 → 商贸、海关、旅游
    "cooperation": "cooperation",  # 国际与粤港澳合作 → 合作与开放
    "organization": "organization",  # 组织保障与宣传 → 组织保障
}
